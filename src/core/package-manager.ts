import { getUserAgent } from 'package-manager-detector/detect';
import { PACKAGE_MANAGERS, type PackageManager } from './answers.js';
import { UsageError } from './errors.js';
import { didYouMean } from './suggest.js';

/**
 * `--pm` wins; otherwise the package manager that launched us (`npm create`, `pnpm create`, `yarn create`,
 * `bun create` all set npm_config_user_agent); otherwise npm.
 */
export function choosePackageManager(flag: string | undefined): PackageManager {
  if (flag !== undefined) {
    if (!(PACKAGE_MANAGERS as readonly string[]).includes(flag)) {
      throw new UsageError(
        `--pm "${flag}" is not one of: ${PACKAGE_MANAGERS.join(', ')}.${didYouMean(flag, PACKAGE_MANAGERS, (pm) => `--pm ${pm}`)}`,
      );
    }
    return flag as PackageManager;
  }
  const agent = getUserAgent();
  return (PACKAGE_MANAGERS as readonly string[]).includes(agent ?? '') ? (agent as PackageManager) : 'npm';
}

/** How to run a package.json script with this package manager (`npm run dev`, `pnpm run dev`, ...). */
export const runScript = (pm: PackageManager, script: string): string => `${pm} run ${script}`;

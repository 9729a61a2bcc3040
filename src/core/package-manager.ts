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

/**
 * How to run a package.json script, as the README and every hint print it. npm keeps its idioms (`npm start`,
 * `npm test`); the others always say `run`, because `bun test` is bun's own test runner, not the script.
 * Arguments follow `--`: npm needs it to pass flags on, and pnpm, yarn (berry) and bun drop it (checked by
 * test/e2e/printed-commands.test.ts, which runs what we print with each of them).
 */
export function runScript(pm: PackageManager, script: string, args = ''): string {
  const command =
    pm === 'npm' && (script === 'start' || script === 'test') ? `npm ${script}` : `${pm} run ${script}`;
  return args === '' ? command : `${command} -- ${args}`;
}

/** The install command of a package manager (`npm install`, `pnpm install`, ...). */
export const installCommand = (pm: PackageManager): string => `${pm} install`;

/** The lockfile each package manager writes (what the Dockerfile and CI copy and cache). */
export const LOCKFILES: Record<PackageManager, string> = {
  npm: 'package-lock.json',
  pnpm: 'pnpm-lock.yaml',
  yarn: 'yarn.lock',
  bun: 'bun.lock',
};

/**
 * The install CI and the image run: frozen (fail when the lockfile is out of date) where the lockfile lists every
 * platform's optional packages. Not for npm: npm 11 writes only the host platform's optional packages into
 * package-lock.json, and then its own `npm ci` rejects that lockfile on another platform (ARCHITECTURE.md).
 */
export const FROZEN_INSTALL: Record<PackageManager, string> = {
  npm: 'npm install --no-audit --no-fund',
  pnpm: 'pnpm install --frozen-lockfile',
  // Yarn 2+ reads --frozen-lockfile as --immutable (with a deprecation notice); Yarn 1 knows only this spelling.
  yarn: 'yarn install --frozen-lockfile',
  bun: 'bun install --frozen-lockfile',
};

/** What an install needs besides the sources: package.json, the lockfile and the manager's own settings file. */
export const INSTALL_FILES: Record<PackageManager, readonly string[]> = {
  npm: ['package.json', LOCKFILES.npm],
  pnpm: ['package.json', LOCKFILES.pnpm, 'pnpm-workspace.yaml'],
  yarn: ['package.json', LOCKFILES.yarn, '.yarnrc.yml'],
  bun: ['package.json', LOCKFILES.bun],
};

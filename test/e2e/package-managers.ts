import { existsSync } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import type { PackageManager } from '../../src/core/answers.js';
import { REPO_ROOT } from './superset.js';

/**
 * The package managers users hold, pinned, each installed from the npm registry into its own prefix under
 * .cache/pm/ (never globally). "Current" means the registry's `latest` when this was written:
 * - pnpm 12 (`npm view pnpm version`);
 * - Yarn 4 ("berry", `@yarnpkg/cli-dist`, the build corepack installs for `yarn@stable`); the `yarn` package
 *   is Yarn 1, frozen since 2022;
 * - bun 1.4 (the `bun` package ships the binary for the platform as an optional dependency).
 * Their caches live under .cache/pm/ too, so a second run installs from disk.
 */
export const PINNED: Record<Exclude<PackageManager, 'npm'>, { spec: string; bin: string }> = {
  pnpm: { spec: 'pnpm@12.21.0', bin: 'pnpm' },
  yarn: { spec: '@yarnpkg/cli-dist@4.18.1', bin: 'yarn' },
  bun: { spec: 'bun@1.4.5', bin: 'bun' },
};

const PM_CACHE = join(REPO_ROOT, '.cache', 'pm');

/** mkdir as a lock, as superset.ts does: several vitest processes may install at once. */
async function locked<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const lock = join(PM_CACHE, `${name}.lock`);
  await mkdir(PM_CACHE, { recursive: true });
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch {
      const age = Date.now() - (await stat(lock).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs;
      if (age > 10 * 60_000) await rm(lock, { recursive: true, force: true });
      else await sleep(500);
    }
  }
  try {
    return await fn();
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

/** Installs the pinned package manager once; returns the folder holding its executable. */
export async function ensurePackageManager(pm: Exclude<PackageManager, 'npm'>): Promise<string> {
  const { spec, bin } = PINNED[pm];
  const prefix = join(PM_CACHE, spec.replaceAll('/', '+'));
  const binDir = join(prefix, 'node_modules', '.bin');
  if (existsSync(join(binDir, bin))) return binDir;
  return locked(pm, async () => {
    if (!existsSync(join(binDir, bin))) {
      await execa('npm', ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--no-save', spec], {
        all: true,
      });
    }
    return binDir;
  });
}

/**
 * The environment a command runs in when the user has `pm`: its folder first on PATH, and its download cache
 * kept under .cache/pm/ (pnpm's store, bun's cache, Yarn's global folder) so reruns are offline-fast.
 */
export async function packageManagerEnv(pm: PackageManager): Promise<Record<string, string>> {
  const env: Record<string, string> = {
    // npm: the e2e superset already put every tarball in npm's cache; revalidating each costs a round trip.
    npm_config_prefer_offline: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
  };
  if (pm === 'npm') return env;
  const binDir = await ensurePackageManager(pm);
  return {
    ...env,
    PATH: `${binDir}${delimiter}${process.env.PATH ?? ''}`,
    npm_config_store_dir: join(PM_CACHE, 'pnpm-store'),
    pnpm_config_store_dir: join(PM_CACHE, 'pnpm-store'),
    BUN_INSTALL_CACHE_DIR: join(PM_CACHE, 'bun-cache'),
    YARN_GLOBAL_FOLDER: join(PM_CACHE, 'yarn-global'),
    // Yarn's default registry is its own mirror of npm's; this machine reaches only registry.npmjs.org.
    YARN_NPM_REGISTRY_SERVER: 'https://registry.npmjs.org',
    YARN_ENABLE_TELEMETRY: '0',
  };
}

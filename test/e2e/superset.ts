import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { FEATURES } from '../../src/features/index.js';

/**
 * One real `npm install` of the union of every feature's dependencies, shared by all e2e cases
 * (research/prodlibs.md §9: copying it into a case and reconciling takes ~1 s instead of ~11 s).
 * Keyed by a hash of that union: when a manifest's dependencies change, the next run reinstalls.
 */
export const REPO_ROOT = join(import.meta.dirname, '..', '..');
export const E2E_CACHE = join(REPO_ROOT, '.cache', 'e2e');

/** The union of every manifest's dependencies; when two features pin differently, the first (by FEATURES order) wins. */
export function supersetPackage(): {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
} {
  const dependencies: Record<string, string> = {};
  const devDependencies: Record<string, string> = {};
  for (const feature of FEATURES) {
    for (const [name, range] of Object.entries(feature.dependencies ?? {})) dependencies[name] ??= range;
    for (const [name, range] of Object.entries(feature.devDependencies ?? {}))
      devDependencies[name] ??= range;
  }
  const sort = (m: Record<string, string>) =>
    Object.fromEntries(Object.entries(m).sort(([a], [b]) => a.localeCompare(b)));
  return { dependencies: sort(dependencies), devDependencies: sort(devDependencies) };
}

/**
 * Several vitest processes (or engineers) may start at once: a directory made with mkdir is the lock.
 * A lock older than 15 minutes belongs to a process that died.
 */
async function withLock<T>(fn: () => Promise<T>): Promise<T> {
  const lock = join(E2E_CACHE, 'superset.lock');
  await mkdir(E2E_CACHE, { recursive: true });
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch {
      const age = Date.now() - (await stat(lock).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs;
      if (age > 15 * 60_000) await rm(lock, { recursive: true, force: true });
      else await sleep(1000);
    }
  }
  try {
    return await fn();
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

/**
 * Installs the superset unless the installed one matches the current manifests; returns its node_modules.
 * One directory per dependency set (`superset-<hash>`): the cache is shared by checkouts of different branches,
 * and one with other manifests must not delete the node_modules another is copying from.
 */
export async function ensureSuperset(): Promise<string> {
  const pkg = { name: 'prod-mcp-e2e-superset', private: true, type: 'module', ...supersetPackage() };
  const text = `${JSON.stringify(pkg, null, 2)}\n`;
  const hash = createHash('sha256').update(text).digest('hex');
  const SUPERSET = join(E2E_CACHE, `superset-${hash.slice(0, 12)}`);
  const SUPERSET_MODULES = join(SUPERSET, 'node_modules');
  const stamp = join(SUPERSET, '.installed-hash');
  return withLock(async () => {
    const current = await readFile(stamp, 'utf8').catch(() => '');
    if (current === hash && existsSync(SUPERSET_MODULES)) return SUPERSET_MODULES;
    await rm(SUPERSET, { recursive: true, force: true });
    await mkdir(SUPERSET, { recursive: true });
    await writeFile(join(SUPERSET, 'package.json'), text);
    await execa('npm', ['install', '--no-audit', '--no-fund'], { cwd: SUPERSET, all: true });
    // npm makes no node_modules for an empty dependency set; cases still copy one.
    await mkdir(SUPERSET_MODULES, { recursive: true });
    await writeFile(stamp, hash);
    return SUPERSET_MODULES;
  });
}

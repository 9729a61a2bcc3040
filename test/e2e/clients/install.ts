import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { ensureNode24 } from '../node.js';
import { REPO_ROOT } from '../superset.js';

/**
 * The real clients, pinned to exact versions and installed once into .cache/clients/ (like the conformance
 * suite), so the matrix tests what users install, not what the generator happens to depend on.
 * Keyed by a hash of this list: changing a version reinstalls on the next run.
 */
export const CLIENT_VERSIONS = {
  // The v1 TypeScript SDK, which most desktop hosts embed.
  '@modelcontextprotocol/sdk': '1.32.2',
  // The v2 client the generated project's own tests use.
  '@modelcontextprotocol/client': '2.4.0',
  // Its CLI needs Node >= 22.19; under Node 20 `npx` silently picks 0.15 instead.
  '@modelcontextprotocol/inspector': '2.12.0',
  'mcp-remote': '0.15.1',
  ai: '7.0.173',
  '@ai-sdk/mcp': '2.0.99',
  zod: '4.4.3',
} as const;

export const CLIENTS_DIR = join(REPO_ROOT, '.cache', 'clients');
const DRIVERS_SOURCE = join(import.meta.dirname, 'drivers');
/** The drivers run from inside the install, so their bare imports resolve to the pinned packages. */
export const DRIVERS_DIR = join(CLIENTS_DIR, 'drivers');

let installed: Promise<void> | undefined;

export function ensureClients(): Promise<void> {
  installed ??= install();
  return installed;
}

async function install(): Promise<void> {
  await ensureNode24();
  const pkg = `${JSON.stringify({ private: true, type: 'module', dependencies: CLIENT_VERSIONS }, null, 2)}\n`;
  const hash = createHash('sha256').update(pkg).digest('hex');
  const stamp = join(CLIENTS_DIR, '.installed-hash');
  const current = await readFile(stamp, 'utf8').catch(() => '');
  if (current !== hash || !existsSync(join(CLIENTS_DIR, 'node_modules'))) {
    await rm(CLIENTS_DIR, { recursive: true, force: true });
    await mkdir(CLIENTS_DIR, { recursive: true });
    await writeFile(join(CLIENTS_DIR, 'package.json'), pkg);
    // --ignore-scripts: the Inspector's postinstall only matters in a source checkout (it says so itself).
    await execa('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--engine-strict=false'], {
      cwd: CLIENTS_DIR,
      all: true,
    });
    await writeFile(stamp, hash);
  }
  await mkdir(DRIVERS_DIR, { recursive: true });
  for (const file of await readdir(DRIVERS_SOURCE)) {
    await copyFile(join(DRIVERS_SOURCE, file), join(DRIVERS_DIR, file));
  }
}

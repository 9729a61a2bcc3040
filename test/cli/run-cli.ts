import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, execaSync } from 'execa';

/** Helpers to drive the BUILT binary, exactly as `npx create-prod-mcp` runs it. */
export const REPO = join(import.meta.dirname, '..', '..');
export const CLI = join(REPO, 'dist', 'cli', 'index.js');

/** `npm test` builds first; a lone `vitest run test/cli` builds here if dist/ is missing. */
export function ensureBuilt(): void {
  if (!existsSync(CLI)) execaSync('npm', ['run', 'build', '--silent'], { cwd: REPO });
}

export const scratch = (): string => mkdtempSync(join(tmpdir(), 'prod-mcp-cli-'));

/** Runs the CLI in `cwd` with a clean, colourless, non-CI environment (HOME isolated: no git identity). */
export function cli(cwd: string, args: string[], env: Record<string, string | undefined> = {}) {
  return execa('node', [CLI, ...args], {
    cwd,
    reject: false,
    stdin: 'ignore',
    env: {
      NO_COLOR: '1',
      CI: undefined,
      FORCE_COLOR: undefined,
      HOME: cwd,
      GIT_CONFIG_NOSYSTEM: '1',
      ...env,
    },
  });
}

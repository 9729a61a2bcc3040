import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLEANUP_TIMEOUT, cleanup, cli, commitAll, createProject, read } from './project.js';

/**
 * Issue 11: add/update end with the project's own type-check when its dependencies are installed, and a
 * failing one is a failed run (exit 1, tsc's lines, what to do). Here the project's `typecheck` script stands
 * in for tsc (the real one runs in test/e2e/update.test.ts on an installed project); `node_modules` exists.
 */

afterAll(cleanup, CLEANUP_TIMEOUT);

async function projectWithTypecheck(script: string): Promise<string> {
  const dir = await createProject([]);
  const pkg = JSON.parse(read(dir, 'package.json'));
  pkg.scripts.typecheck = script;
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  mkdirSync(join(dir, 'node_modules'));
  commitAll(dir, 'installed');
  return dir;
}

describe('the type-check at the end of add / update', () => {
  it('a failing type-check fails the run, showing its errors', async () => {
    const dir = await projectWithTypecheck(
      `node -e "console.error('src/app.ts(3,7): error TS2322: nope'); process.exit(2)"`,
    );
    const run = await cli(['update', '--no-docker', '--cwd', dir, '--no-install', '--pm', 'npm']);
    expect(run.code, run.output).toBe(1);
    expect(run.output).toContain(
      'The project does not type-check after this run (`npm run typecheck` failed)',
    );
    expect(run.output).toContain('src/app.ts(3,7): error TS2322: nope');
    expect(JSON.parse(read(dir, 'prod-mcp.lock.json')).answers.docker).toBe(false);
  });

  it('a passing one says so; without installed dependencies it says what to run', async () => {
    const dir = await projectWithTypecheck('node -e ""');
    const run = await cli(['add', 'otel', '--cwd', dir, '--no-install', '--pm', 'npm']);
    expect(run.code, run.output).toBe(0);
    // otel adds dependencies and --no-install skipped the install: checking now would only report missing modules.
    expect(run.output).toContain(
      'Type-check not run: install the dependencies first, then run `npm run typecheck`.',
    );
    commitAll(dir, 'otel');
    const again = await cli(['update', '--no-docker', '--cwd', dir, '--no-install', '--pm', 'npm']);
    expect(again.code, again.output).toBe(0);
    expect(again.output).toContain('Type-check passed (`npm run typecheck`).');
  });
});

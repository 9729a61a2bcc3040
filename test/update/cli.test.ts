import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCK_FILE } from '../../src/core/lock.js';
import { GENERATOR } from '../../src/core/version.js';
import { cli as binary, CLI, ensureBuilt } from '../cli/run-cli.js';
import {
  CLEANUP_TIMEOUT,
  cleanup,
  cli,
  commitAll,
  createProject,
  isClean,
  read,
  readTree,
  scratchDir,
} from './project.js';

/** add / update as a user meets them: refusals that write nothing, --dry-run, and the binary's wiring. */

afterAll(cleanup, CLEANUP_TIMEOUT);

const unchanged = (dir: string, before: Map<string, string>) => {
  const after = readTree(dir);
  expect([...after.keys()]).toEqual([...before.keys()]);
  for (const [path, text] of before) expect(after.get(path), path).toBe(text);
};

describe('refusals: a clear message, a non-zero exit, nothing written', () => {
  it('no lock file', async () => {
    const dir = scratchDir();
    writeFileSync(join(dir, 'package.json'), '{}\n');
    const run = await cli(['add', 'redis', '--cwd', dir]);
    expect(run.code).toBe(2);
    expect(run.output).toContain(`No ${LOCK_FILE} in ${dir}`);
    expect(readTree(dir).size).toBe(1);
  });

  it.each([
    ['not JSON', '{ "generator": '],
    ['answers missing', JSON.stringify({ generator: GENERATOR, files: {} })],
    [
      'a bad answer',
      JSON.stringify({
        generator: GENERATOR,
        answers: { name: 'x', transport: 'carrier-pigeon' },
        files: {},
      }),
    ],
    ['a path outside the project', null],
  ])('a malformed lock (%s)', async (_, text) => {
    const dir = await createProject([]);
    if (text === null) {
      const lock = JSON.parse(read(dir, LOCK_FILE));
      lock.files['../outside.txt'] = { class: 'merged', sha256: 'a'.repeat(64) };
      writeFileSync(join(dir, LOCK_FILE), JSON.stringify(lock));
    } else writeFileSync(join(dir, LOCK_FILE), text);
    commitAll(dir, 'break the lock');
    const before = readTree(dir);
    const run = await cli(['update', '--cwd', dir, '--no-install']);
    expect(run.code, run.output).toBe(2);
    expect(run.output).toContain(LOCK_FILE);
    unchanged(dir, before);
  });

  it('counts read as English: "(1 entry)" (issue 11)', async () => {
    const dir = scratchDir();
    writeFileSync(join(dir, 'notes.txt'), 'mine\n');
    // create throws its usage errors to the binary's handler, which prints them and exits 2.
    await expect(cli([dir, '--yes', '--no-install', '--name', 'demo'])).rejects.toThrow(
      /is not empty \(1 entry\)/,
    );
  });

  it('a lock written by a newer generator', async () => {
    const dir = await createProject([]);
    const lock = JSON.parse(read(dir, LOCK_FILE));
    lock.generator.version = '99.0.0';
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify(lock));
    commitAll(dir, 'from the future');
    const run = await cli(['update', '--cwd', dir, '--no-install']);
    expect(run.code).toBe(2);
    expect(run.output).toContain('99.0.0, newer than this');
  });

  it('a dirty git tree, unless --force', async () => {
    const dir = await createProject([]);
    writeFileSync(join(dir, 'notes.txt'), 'work in progress\n');
    const before = readTree(dir);
    const refused = await cli(['add', 'redis', '--cwd', dir, '--no-install']);
    expect(refused.code).toBe(2);
    expect(refused.output).toContain('uncommitted changes (notes.txt)');
    unchanged(dir, before);
    const forced = await cli(['add', 'redis', '--cwd', dir, '--no-install', '--force']);
    expect(forced.code, forced.output).toBe(0);
    expect(read(dir, 'notes.txt')).toBe('work in progress\n');
    expect(read(dir, 'src/features.generated.ts')).toContain('rate-limit-redis');
  });

  it('a folder outside git, unless --force', async () => {
    const dir = await createProject([]);
    rmSync(join(dir, '.git'), { recursive: true, force: true });
    const refused = await cli(['add', 'otel', '--cwd', dir, '--no-install']);
    expect(refused.code).toBe(2);
    expect(refused.output).toContain('not in a git repository');
    expect((await cli(['add', 'otel', '--cwd', dir, '--no-install', '--force'])).code).toBe(0);
  });

  it.each([
    [['add', 'kafka'], 'Unknown feature "kafka"'],
    [['add'], 'Name at least one feature'],
    [['add', 'jwt', 'gateway'], 'jwt and gateway are alternatives'],
    [['update', 'redis'], 'update takes options'],
    [['update', '--auth', 'magic'], '--auth "magic" is not one of'],
  ])('%j', async (argv, message) => {
    const dir = await createProject([]);
    const before = readTree(dir);
    const run = await cli([...argv, '--cwd', dir, '--no-install']);
    expect(run.code).toBe(2);
    expect(run.output).toContain(message);
    unchanged(dir, before);
  });

  it('an HTTP-only feature on a stdio project names the command that works', async () => {
    const dir = await createProject(['--transport', 'stdio']);
    const run = await cli(['add', 'jwt', '--cwd', dir, '--no-install']);
    expect(run.code).toBe(2);
    expect(run.output).toContain('`create-prod-mcp add http jwt`');
    const fixed = await cli(['add', 'http', 'jwt', '--cwd', dir, '--no-install']);
    expect(fixed.code, fixed.output).toBe(0);
    expect(JSON.parse(read(dir, LOCK_FILE)).answers).toMatchObject({ transport: 'both', auth: 'jwt' });
  });
});

describe('--dry-run', () => {
  it('prints the plan with unified diffs and writes nothing', async () => {
    const dir = await createProject([]);
    writeFileSync(join(dir, 'Dockerfile'), `${read(dir, 'Dockerfile')}# mine\n`);
    const before = readTree(dir);
    const run = await cli(['add', 'redis', '--cwd', dir, '--dry-run']);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toMatch(/CREATE +src\/features\/rate-limit-redis\/index\.ts/);
    expect(run.output).toMatch(/DELETE +src\/features\/rate-limit-memory\/index\.ts/);
    expect(run.output).toMatch(/UPDATE +src\/features\.generated\.ts/);
    expect(run.output).toContain('--- a/src/features.generated.ts\n+++ b/src/features.generated.ts\n@@');
    expect(run.output).toContain('--- /dev/null\n+++ b/src/features/rate-limit-redis/index.ts');
    expect(run.output).toContain('+++ /dev/null');
    expect(run.output).toContain('Dry run: nothing was written');
    unchanged(dir, before);
  });
});

describe('--dry-run summarises the bookkeeping files (issue 11: 75 % of the output was base.json)', () => {
  it('one line each for the lock and the merge base, full diffs for project files', async () => {
    const dir = await createProject([]);
    const run = await cli(['add', 'jwt', '--cwd', dir, '--dry-run']);
    expect(run.code, run.output).toBe(0);
    expect(run.output).not.toContain('--- a/.prod-mcp/base.json');
    expect(run.output).not.toContain('--- a/prod-mcp.lock.json');
    expect(run.output).toMatch(
      /prod-mcp\.lock\.json \(what was generated\): answers auth api-key → jwt; files: \d+ added, \d+ removed/,
    );
    expect(run.output).toMatch(
      /\.prod-mcp\/base\.json \(the merge base for the next update\): files: \d+ added/,
    );
    const lines = run.output.split('\n');
    expect(lines.filter((line) => line.includes('base.json')).length).toBeLessThanOrEqual(3);
    // The project files still get their diffs.
    expect(run.output).toContain('--- /dev/null\n+++ b/src/features/auth-jwt/');
  });
});

describe('all or nothing', () => {
  it('a write that fails half-way leaves every file as it was', async () => {
    const dir = await createProject([]);
    // A plain file where the new feature needs a folder: writing its first file fails.
    mkdirSync(join(dir, 'src/features'), { recursive: true });
    writeFileSync(join(dir, 'src/features/rate-limit-redis'), 'in the way\n');
    commitAll(dir, 'obstacle');
    const before = readTree(dir);
    const run = await cli(['add', 'redis', '--cwd', dir, '--no-install']);
    expect(run.code).toBe(1);
    expect(run.output).toMatch(/Could not write the update \(.*rate-limit-redis.*\); nothing was changed/);
    unchanged(dir, before);
    expect(isClean(dir)).toBe(true);
  });
});

describe('the built binary', () => {
  beforeAll(ensureBuilt);

  it('runs add and update with their exit codes', async () => {
    const dir = await createProject([]);
    const added = await binary(dir, ['add', 'metrics', '--no-install']);
    expect(added.exitCode, added.stderr).toBe(0);
    expect(added.stdout).toContain('Done:');
    commitAll(dir, 'metrics');
    const again = await binary(dir, ['update', '--no-install']);
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toContain('Nothing to change');
    const missing = await binary(scratchDir(), ['update']);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain(`No ${LOCK_FILE}`);
    expect(CLI).toContain('dist');
  });
});

import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CLI, ensureBuilt } from '../cli/run-cli.js';
import { describeScore, parseProjectRun, parseTasks, TASK_SCENARIOS } from './conformance.js';
import { bootServer, type PreparedProject, prepareProject } from './harness.js';

/**
 * The promise of issue 2: a project generated with every default installs, type-checks, lints, builds and
 * passes its own tests on the Dockerfile's Node 24; its built server also boots, answers /healthz and exits
 * cleanly on the machine's Node 20. The whole suite runs on Node 24 only: type-check and lint answer the same on
 * any Node, and a second full pass on Node 20 cost every CI run minutes; Node 20 still builds and runs the
 * server the way production does.
 */
describe('default project', () => {
  let project: PreparedProject;

  beforeAll(async () => {
    project = await prepareProject({});
  });
  afterAll(async () => {
    await project?.remove();
  });

  test('typecheck, lint, build and its own tests pass on Node 24', async () => {
    const node = 24;
    const version = await project.run('node', ['--version'], { node });
    expect(version.stdout).toMatch(new RegExp(`^v${node}\\.`));
    await project.run('npm', ['run', 'typecheck'], { node });
    await project.run('npm', ['run', 'lint'], { node });
    await project.run('npm', ['run', 'build'], { node });
    const tests = await project.run('npm', ['test'], { node });
    // vitest prints "Tests  N passed"; at least one real test must have run.
    expect(tests.all).toMatch(/Tests\s+\d+ passed/);
  });

  test.each([20, 24] as const)(
    'the built server boots, answers /healthz and exits 0 on SIGTERM (Node %i)',
    async (node) => {
      const version = await project.run('node', ['--version'], { node });
      expect(version.stdout).toMatch(new RegExp(`^v${node}\\.`));
      await project.run('npm', ['run', 'build'], { node });
      // API keys hold sha256 hashes; the key itself never appears in config.
      const hash = createHash('sha256').update('e2e-secret-key').digest('hex');
      const server = await bootServer(project.dir, { API_KEYS: `e2e:${hash}` }, { node });
      const health = await fetch(new URL('/healthz', server.url));
      expect(health.status).toBe(200);
      expect(await server.stop()).toBe(0);
    },
  );

  test('npm run conformance (memory limits and budgets on, auth left out): every scored scenario passes', async () => {
    const run = await project.run('npm', ['run', 'conformance'], { node: 24 });
    const output = String(run.all ?? '');
    const scores = parseProjectRun(output);
    console.log(`conformance, default project: ${scores.map(describeScore).join('; ')}`);
    for (const score of scores) {
      expect(score.total, output).toBeGreaterThanOrEqual(30);
      expect(score.failing, output).toEqual([]);
    }
    // The tasks extension (SEP-2663): every tasks-* scenario the suite runs passes (it leaves them unscored).
    const tasks = parseTasks(output);
    console.log(`tasks extension: ${tasks.passed.length}/${tasks.passed.length + tasks.failing.length}`);
    expect(tasks.failing, output).toEqual([]);
    expect(tasks.passed).toHaveLength(TASK_SCENARIOS);
  });
});

describe('the CLI end to end: install and first commit', () => {
  test('`create-prod-mcp svc --yes` installs with npm and commits everything, lockfile included', async () => {
    ensureBuilt();
    const cwd = await mkdtemp(join(tmpdir(), 'prod-mcp-e2e-cli-'));
    const result = await execa('node', [CLI, 'svc', '--yes'], {
      cwd,
      reject: false,
      all: true,
      env: { NO_COLOR: '1', CI: 'true' },
    });
    expect(result.exitCode, result.all).toBe(0);
    expect(result.all).toContain('Installed dependencies with npm');
    const dir = join(cwd, 'svc');
    expect(await readdir(join(dir, 'node_modules'))).toContain('typescript');
    const tracked = await execa('git', ['ls-files'], { cwd: dir });
    expect(tracked.stdout.split('\n')).toEqual(
      expect.arrayContaining(['package-lock.json', 'prod-mcp.lock.json']),
    );
    expect((await execa('git', ['status', '--porcelain'], { cwd: dir })).stdout).toBe('');
    await rm(cwd, { recursive: true, force: true });
  });
});

import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Answers } from '../../src/core/answers.js';
import { render } from '../../src/core/render.js';
import { baseFiles } from '../../src/update/base.js';
import { cli, commitAll, git, read } from '../update/project.js';
import { type PreparedProject, prepareProject } from './harness.js';

/**
 * Issue 7: switching every slot both ways leaves a project that type-checks, lints and passes its own tests.
 * One installed project walks the chains: auth api-key → jwt → gateway → none and back, rate limits
 * memory → redis → memory, transport both → http → stdio → http → both (9 steps, see STEPS). Each step runs
 * the real `update`, reinstalls when package.json changed, checks the files equal a fresh create with the
 * same answers, then runs the project's own typecheck (update's last step, issue 11) and lint. The project's own
 * tests (Redis against a real redis-server) run at the three steps that change the composition most (`tests: true`):
 * each is a full `npm test` of about a minute, and at the other steps the files equal a fresh create byte for byte,
 * whose suites run elsewhere (every auth mode in auth.test.ts, memory and Redis limits in rate-limit.test.ts).
 * Last, a type error of the user's makes update exit 1 with tsc's message.
 */

/** The project's files as git sees them: tracked or new, minus what .gitignore excludes and what was deleted. */
function projectFiles(dir: string): Map<string, string> {
  const listed = git(dir, ['ls-files', '--cached', '--others', '--exclude-standard', '-z']).split('\0');
  const paths = [...new Set(listed)].filter((path) => path !== '' && existsSync(join(dir, path))).sort();
  return new Map(paths.map((path) => [path, read(dir, path)]));
}

/**
 * `install`: let update run the install itself (the default); other steps pass --no-install and install here.
 * `tests`: also run the project's own `npm test` after this step.
 */
type Step = { flags: string[]; expect: Partial<Answers>; install?: boolean; tests?: boolean };

/** Every edge of the chains both ways; a rate-limit or transport switch rides along an auth switch to save installs. */
const STEPS: Step[] = [
  {
    flags: ['--auth', 'jwt', '--rate-limit', 'redis'],
    expect: { auth: 'jwt', rateLimit: 'redis' },
    install: true,
    // New dependencies (jose, redis) and two slots at once: the JWT verifier and the Redis store under test.
    tests: true,
  },
  {
    flags: ['--auth', 'gateway', '--rate-limit', 'memory'],
    expect: { auth: 'gateway', rateLimit: 'memory' },
  },
  { flags: ['--auth', 'none'], expect: { auth: 'none' } },
  { flags: ['--auth', 'gateway'], expect: { auth: 'gateway' } },
  { flags: ['--auth', 'jwt'], expect: { auth: 'jwt' } },
  { flags: ['--auth', 'api-key', '--transport', 'http'], expect: { auth: 'api-key', transport: 'http' } },
  // stdio turns off what only HTTP serves (auth, limits), as create's stdio defaults do.
  // The HTTP files go away: the stdio suite must run without them.
  {
    flags: ['--transport', 'stdio'],
    expect: { transport: 'stdio', auth: 'none', rateLimit: 'none' },
    tests: true,
  },
  { flags: ['--transport', 'http'], expect: { transport: 'http' } },
  // The end of the chains: HTTP is back beside stdio (with auth and limits still off), the whole suite once more.
  { flags: ['--transport', 'both'], expect: { transport: 'both' }, tests: true },
];

describe('switching every slot both ways', () => {
  let project: PreparedProject;
  let answers: Answers;

  beforeAll(async () => {
    project = await prepareProject({ name: 'switch-server' });
    answers = project.answers;
    // What `create` writes besides the render and lock: the merge-base snapshot.
    for (const [path, text] of baseFiles(render(answers))) {
      await mkdir(dirname(join(project.dir, path)), { recursive: true });
      await writeFile(join(project.dir, path), text);
    }
    git(project.dir, ['init', '--quiet']);
    commitAll(project.dir, 'generated and installed');
  });
  afterAll(async () => {
    await project?.remove();
  });

  test.each(STEPS)('update $flags', async (step) => {
    try {
      await switchAndCheck(step);
    } finally {
      // Committed even after a failure, so the next step starts from a clean tree and reports its own result.
      commitAll(project.dir, `update ${step.flags.join(' ')}`);
    }
  });

  test('a project that no longer type-checks fails the update (exit 1, tsc names the file)', async () => {
    // A file of the user's with a type error: update's last step must not say "Done" and exit 0 over it.
    await writeFile(join(project.dir, 'src/broken.ts'), "export const port: number = 'eighty';\n");
    commitAll(project.dir, 'a type error');
    const run = await cli(['update', '--no-docker', '--cwd', project.dir, '--no-install']);
    expect(run.code, run.output).toBe(1);
    expect(run.output).toContain(
      'The project does not type-check after this run (`npm run typecheck` failed)',
    );
    expect(run.output).toMatch(/src\/broken\.ts\(1,14\): error TS2322/);
  });

  async function switchAndCheck(step: Step): Promise<void> {
    const packageBefore = read(project.dir, 'package.json');
    const run = await cli([
      'update',
      ...step.flags,
      '--cwd',
      project.dir,
      ...(step.install ? [] : ['--no-install']),
    ]);
    expect(run.code, run.output).toBe(0);
    expect(run.output).not.toContain('CONFLICT');
    answers = { ...answers, ...step.expect };
    expect(JSON.parse(read(project.dir, 'prod-mcp.lock.json')).answers).toEqual(answers);

    // Byte for byte what create writes for these answers (what git ignores, like dist/, and npm's lockfile aside).
    const tree = projectFiles(project.dir);
    tree.delete('package-lock.json');
    const fresh = new Map([...render(answers), ...baseFiles(render(answers))]);
    expect([...tree.keys()].filter((path) => path !== 'prod-mcp.lock.json').sort()).toEqual(
      [...fresh.keys()].sort(),
    );
    for (const [path, text] of fresh) expect(tree.get(path), path).toBe(text);

    if (step.install) {
      // package.json gained jose and redis, so update ran the install itself (its spinner's last words).
      expect(run.output).toContain('Installed dependencies with npm');
    }
    if (!step.install && read(project.dir, 'package.json') !== packageBefore) {
      // Dependencies changed and were not installed: update says so instead of type-checking against stale ones.
      expect(run.output).toContain('Type-check not run: install the dependencies first');
      await project.run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund']);
      await project.run('npm', ['run', 'typecheck']);
    } else {
      // Issue 11: update ran the project's type-check itself as its last step.
      expect(run.output).toContain('Type-check passed (`npm run typecheck`).');
    }
    await project.run('npm', ['run', 'lint']);
    if (!step.tests) return;
    const tests = await project.run('npm', ['test']);
    // vitest prints "Tests  N passed" (coloured when the parent run is): at least one real test ran.
    expect(stripVTControlCharacters(String(tests.all ?? ''))).toMatch(/Tests\s+\d+ passed/);
  }
});

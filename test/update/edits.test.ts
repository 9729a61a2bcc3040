import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { diffIndices } from 'node-diff3';
import { afterAll, describe, expect, it } from 'vitest';
import type { Answers } from '../../src/core/answers.js';
import { classify } from '../../src/core/classes.js';
import { render } from '../../src/core/render.js';
import { resolveAnswers } from '../../src/core/validate.js';
import { answersAfterAdd } from '../../src/update/next-answers.js';
import { splitLines } from '../../src/update/text.js';
import {
  CLEANUP_TIMEOUT,
  cleanup,
  cli,
  commitAll,
  createProject,
  flagsOf,
  git,
  isClean,
  read,
  readTree,
} from './project.js';

/**
 * The update battery's safety half: a user's edits survive `add`, or become reported conflicts; never
 * silent loss. Which file and line to edit is found from the live templates (the file a feature changes,
 * a line far from that change, a line at it), so the battery keeps testing the real thing as they evolve.
 */

afterAll(cleanup, CLEANUP_TIMEOUT);

const DEFAULTS = resolveAnswers({}, 'demo');
const COMMENT: Record<string, string> = {
  ts: '//',
  js: '//',
  mjs: '//',
  yaml: '#',
  yml: '#',
  service: '#',
  sh: '#',
};

const commentFor = (path: string): string | undefined => {
  const name = path.split('/').at(-1) ?? '';
  if (name === 'Dockerfile' || name.startsWith('.')) return '#';
  return COMMENT[name.split('.').at(-1) ?? ''];
};

interface Target {
  feature: string;
  next: Answers;
  path: string;
  base: string[];
  theirs: string[];
  /** Line indexes (in base) the feature changes, and a line far from all of them. */
  changed: { start: number; length: number }[];
  far: number;
}

/** A merged file that `add <feature>` changes, with a unique, non-blank line at least 3 lines from every change. */
function findTarget(): Target {
  const before = render(DEFAULTS);
  // Source files first: the most realistic place for an edit (deploy and CI files come after).
  const paths = [...before.keys()].sort(
    (a, b) => Number(!a.startsWith('src/')) - Number(!b.startsWith('src/')),
  );
  for (const feature of ['redis', 'otel', 'metrics', 'jwt', 'gateway', 'systemd', 'k8s']) {
    const next = answersAfterAdd(DEFAULTS, [feature]);
    const after = render(next);
    for (const path of paths) {
      const text = before.get(path) ?? '';
      const now = after.get(path);
      if (classify(path) !== 'merged' || now === undefined || now === text || commentFor(path) === undefined)
        continue;
      const [base, theirs] = [splitLines(text), splitLines(now)];
      const changed = diffIndices(base, theirs).map((h) => ({ start: h.buffer1[0], length: h.buffer1[1] }));
      const far = base.findIndex(
        (line, i) =>
          line.trim().length > 3 &&
          base.indexOf(line) === i &&
          theirs.filter((l) => l === line).length === 1 &&
          changed.every((c) => i < c.start - 3 || i > c.start + c.length + 2),
      );
      if (far !== -1) return { feature, next, path, base, theirs, changed, far };
    }
  }
  throw new Error(
    'no feature changes a merged file far from one of its lines: the battery needs a new target',
  );
}

const target = findTarget();
const comment = commentFor(target.path) ?? '#';

function firstTool(dir: string): string {
  const folder = readdirSync(join(dir, 'src/tools'), { withFileTypes: true }).find((entry) =>
    entry.isDirectory(),
  );
  if (!folder) throw new Error('the generated project has no tool folder');
  return `src/tools/${folder.name}/v1.ts`;
}

describe(`user edits survive \`add ${target.feature}\` (${target.path} is the merged file it changes)`, () => {
  it('keeps a modified tool, a far edit (clean merge), a deleted file, a dependency and an env key', async () => {
    const dir = await createProject([]);
    const theirs = render(target.next);
    const tool = firstTool(dir);
    const toolText = `${read(dir, tool)}// my own note about this tool\n`;
    writeFileSync(join(dir, tool), toolText);

    const note = `${comment} kept by the user: far from the template change`;
    const lines = [...target.base];
    lines.splice(target.far, 0, `${note}\n`);
    writeFileSync(join(dir, target.path), lines.join(''));

    // A file the feature does not change and the user deletes on purpose.
    const deleted = [...theirs.keys()].find(
      (path) =>
        classify(path) === 'merged' &&
        path !== target.path &&
        path.endsWith('.yaml') === false &&
        path.startsWith('test/'),
    );
    if (!deleted) throw new Error('no test file to delete');
    rmSync(join(dir, deleted));

    const pkg = JSON.parse(read(dir, 'package.json')) as { dependencies?: Record<string, string> };
    pkg.dependencies = { ...pkg.dependencies, 'left-pad': '^1.3.0' };
    writeFileSync(join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
    const custom = '\n# Our own setting, read by our own code\nMY_CUSTOM_FLAG=on\n';
    writeFileSync(join(dir, '.env.example'), read(dir, '.env.example') + custom);
    commitAll(dir, 'a month of work');

    const run = await cli(['add', target.feature, '--cwd', dir, '--no-install']);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain(`MERGE    ${target.path}`);
    expect(run.output).not.toContain('CONFLICT');

    const after = readTree(dir);
    expect(after.get(tool)).toBe(toolText);
    const expected = [...target.theirs];
    expected.splice(target.theirs.indexOf(target.base[target.far] ?? ''), 0, `${note}\n`);
    expect(after.get(target.path)).toBe(expected.join(''));
    expect(after.has(deleted)).toBe(false);
    const theirPkg = JSON.parse(theirs.get('package.json') ?? '{}') as {
      dependencies: Record<string, string>;
    };
    expect(JSON.parse(after.get('package.json') ?? '')).toEqual({
      ...theirPkg,
      dependencies: { ...theirPkg.dependencies, 'left-pad': '^1.3.0' },
    });
    expect(after.get('.env.example')).toBe((theirs.get('.env.example') ?? '') + custom);
    // Nothing else differs from a fresh create with the new answers.
    for (const [path, text] of theirs) {
      if ([tool, target.path, deleted, 'package.json', '.env.example'].includes(path)) continue;
      expect(after.get(path), path).toBe(text);
    }

    commitAll(dir, 'added');
    const again = await cli(['add', target.feature, '--cwd', dir, '--no-install']);
    expect(again.code, again.output).toBe(0);
    expect(again.output).toContain('Nothing to change');
    expect(isClean(dir)).toBe(true);
  });

  it('turns an edit at the changed place into conflict markers, exits 1 and loses nothing else', async () => {
    const dir = await createProject([]);
    const theirs = render(target.next);
    const [first] = target.changed;
    if (!first) throw new Error('no change');
    // The first line the feature replaces, or the line just before what it inserts.
    const at = first.length > 0 ? first.start : Math.max(first.start - 1, 0);
    const original = target.base[at] ?? '';
    const mine = `${original.trimEnd()} ${comment} changed by the user\n`;
    const lines = [...target.base];
    lines[at] = mine;
    writeFileSync(join(dir, target.path), lines.join(''));
    const tool = firstTool(dir);
    const toolText = `${read(dir, tool)}// mine\n`;
    writeFileSync(join(dir, tool), toolText);
    commitAll(dir, 'edit at the changed place');

    const run = await cli(['add', target.feature, '--cwd', dir, '--no-install']);
    expect(run.code, run.output).toBe(1);
    expect(run.output).toContain(`CONFLICT ${target.path}`);
    expect(run.output).toMatch(/resolve the <<<<<<< markers/);

    const after = readTree(dir);
    const merged = after.get(target.path) ?? '';
    expect(merged).toContain('<<<<<<< yours\n');
    expect(merged).toContain('||||||| create-prod-mcp');
    expect(merged).toContain('>>>>>>> create-prod-mcp');
    expect(merged).toContain(mine);
    // The template's new lines are there too, for the user to choose.
    for (const line of splitLines(theirs.get(target.path) ?? '')) expect(merged).toContain(line);
    expect(after.get(tool)).toBe(toolText);
    for (const [path, text] of theirs) {
      if (path === tool || path === target.path) continue;
      expect(after.get(path), path).toBe(text);
    }

    // git sees the file as unmerged (stages 1/2/3), so the markers cannot be committed by accident.
    expect(git(dir, ['status', '--porcelain', '--', target.path])).toMatch(/^UU /);
    expect(() => git(dir, ['commit', '--quiet', '-m', 'too early'])).toThrow(/unmerged/i);
    expect(git(dir, ['show', `:3:${target.path}`])).toBe((theirs.get(target.path) ?? '').replace(/\n$/, ''));

    // Resolved (the user keeps the new version) and committed: nothing left to do.
    writeFileSync(join(dir, target.path), theirs.get(target.path) ?? '');
    commitAll(dir, 'resolved');
    const again = await cli(['add', target.feature, '--cwd', dir, '--no-install']);
    expect(again.code, again.output).toBe(0);
    expect(again.output).toContain('Nothing to change');
  });

  it('reports an edit of a managed file as a conflict instead of overwriting it', async () => {
    const dir = await createProject([]);
    const path = 'src/features.generated.ts';
    const mine = `${read(dir, path)}// my own registration\n`;
    writeFileSync(join(dir, path), mine);
    commitAll(dir, 'edit managed');
    const run = await cli(['add', 'redis', '--cwd', dir, '--no-install']);
    expect(run.code, run.output).toBe(1);
    expect(run.output).toContain(`CONFLICT ${path}`);
    const after = read(dir, path);
    expect(after).toContain('<<<<<<< yours\n');
    expect(after).toContain('// my own registration\n');
    for (const line of splitLines(render(answersAfterAdd(DEFAULTS, ['redis'])).get(path) ?? '')) {
      expect(after).toContain(line);
    }
  });
});

describe('switching a slot', () => {
  it('deletes the old feature files the user never touched and keeps (and still tracks) an edited one', async () => {
    const dir = await createProject([]);
    const before = render(DEFAULTS);
    const apiKeyFiles = [...before.keys()].filter((p) => p.startsWith('src/features/auth-api-key/'));
    const edited = apiKeyFiles[0] ?? '';
    writeFileSync(join(dir, edited), `${read(dir, edited)}// tuned\n`);
    commitAll(dir, 'tune api keys');

    const toJwt = await cli(['add', 'jwt', '--cwd', dir, '--no-install']);
    expect(toJwt.code, toJwt.output).toBe(0);
    const after = readTree(dir);
    for (const path of apiKeyFiles.slice(1)) expect(after.has(path), path).toBe(false);
    expect(after.get(edited)).toContain('// tuned');
    expect(toJwt.output).toContain(`${edited}: kept`);
    for (const [path, text] of render({ ...DEFAULTS, auth: 'jwt' })) expect(after.get(path), path).toBe(text);
    commitAll(dir, 'jwt');

    // Back to api-key: the kept file merges with its recorded base instead of conflicting.
    const back = await cli(['update', '--auth', 'api-key', '--cwd', dir, '--no-install']);
    expect(back.code, back.output).toBe(0);
    expect(back.output).not.toContain('CONFLICT');
    const final = readTree(dir);
    expect(final.get(edited)).toContain('// tuned');
    expect([...final.keys()].filter((p) => p.startsWith('src/features/auth-jwt/'))).toEqual([]);
    for (const [path, text] of before) if (path !== edited) expect(final.get(path), path).toBe(text);
  });

  it.each<[string, Partial<Answers>]>([
    ['jwt', { auth: 'jwt' }],
    ['gateway', { auth: 'gateway' }],
    ['redis', { rateLimit: 'redis' }],
  ])('add %s over the defaults, then back, returns the original bytes', async (feature, change) => {
    const dir = await createProject([]);
    const original = readTree(dir);
    expect((await cli(['add', feature, '--cwd', dir, '--no-install'])).code).toBe(0);
    commitAll(dir, feature);
    const lock = JSON.parse(read(dir, 'prod-mcp.lock.json')) as { answers: Answers };
    expect(lock.answers).toEqual({ ...DEFAULTS, ...change });
    expect((await cli(['update', ...flagsOf(DEFAULTS), '--cwd', dir, '--no-install'])).code).toBe(0);
    const back = readTree(dir);
    expect([...back.keys()]).toEqual([...original.keys()]);
    for (const [path, text] of original) expect(back.get(path), path).toBe(text);
  });
});

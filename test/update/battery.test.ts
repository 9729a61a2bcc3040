import { afterAll, describe, expect, it } from 'vitest';
import type { Answers } from '../../src/core/answers.js';
import { LOCK_FILE } from '../../src/core/lock.js';
import { resolveAnswers } from '../../src/core/validate.js';
import { ADDABLE, answersAfterAdd } from '../../src/update/next-answers.js';
import {
  CLEANUP_TIMEOUT,
  cleanup,
  cli,
  commitAll,
  createProject,
  flagsOf,
  isClean,
  readTree,
} from './project.js';

/**
 * The update battery's equivalence half (issue 7, "Prove it"): on real projects made by the real commands,
 * `create A` then `add B` is byte for byte `create A+B`, and adding again changes nothing.
 */

const DEFAULTS = resolveAnswers({}, 'demo');

afterAll(cleanup, CLEANUP_TIMEOUT);

function expectSameTree(actual: Map<string, string>, expected: Map<string, string>): void {
  expect([...actual.keys()]).toEqual([...expected.keys()]);
  for (const [path, text] of expected) expect(actual.get(path), path).toBe(text);
}

describe('create(defaults) + add B == create(defaults + B), and a second add is a no-op', () => {
  it.each(ADDABLE)('add %s', async (feature) => {
    const next = answersAfterAdd(DEFAULTS, [feature]);
    const dir = await createProject([]);
    const added = await cli(['add', feature, '--cwd', dir, '--no-install']);
    expect(added.code, added.output).toBe(0);
    expect(added.output).not.toContain('CONFLICT');

    const direct = await createProject(flagsOf(next));
    expectSameTree(readTree(dir), readTree(direct));

    commitAll(dir, `add ${feature}`);
    const again = await cli(['add', feature, '--cwd', dir, '--no-install']);
    expect(again.code, again.output).toBe(0);
    expect(again.output).toContain('Nothing to change');
    expect(isClean(dir)).toBe(true);
  });
});

describe('adding a transport to a one-transport project means both', () => {
  it.each([
    ['stdio', 'http'],
    ['http', 'stdio'],
  ])(
    'create --transport %s + add %s == create --transport both (same other answers)',
    async (from, feature) => {
      const start = resolveAnswers({ transport: from }, 'demo');
      const dir = await createProject(flagsOf(start));
      const added = await cli(['add', feature, '--cwd', dir, '--no-install']);
      expect(added.code, added.output).toBe(0);
      const direct = await createProject(flagsOf({ ...start, transport: 'both' }));
      expectSameTree(readTree(dir), readTree(direct));
    },
  );
});

describe('update with changed answers equals create with those answers', () => {
  const start: Answers = { ...DEFAULTS, otel: true, metrics: true };
  it.each<[string[], Partial<Answers>]>([
    [['--auth', 'none'], { auth: 'none' }],
    [['--rate-limit', 'none'], { rateLimit: 'none' }],
    [['--no-docker'], { docker: false }],
    [['--transport', 'http'], { transport: 'http' }],
    // Narrowing to stdio turns off what only HTTP serves, as create's stdio defaults do.
    [['--transport', 'stdio'], { transport: 'stdio', auth: 'none', rateLimit: 'none', metrics: false }],
  ])('update %j', async (flags, change) => {
    const dir = await createProject(flagsOf(start));
    const updated = await cli(['update', ...flags, '--cwd', dir, '--no-install']);
    expect(updated.code, updated.output).toBe(0);
    const expected = { ...start, ...change };
    expect((JSON.parse(readTree(dir).get(LOCK_FILE) ?? '{}') as { answers: Answers }).answers).toEqual(
      expected,
    );
    expectSameTree(readTree(dir), readTree(await createProject(flagsOf(expected))));
  });
});

import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { withLock } from '../../src/core/lock.js';
import { render } from '../../src/core/render.js';
import { PUBLISHED_GENERATOR_COMMAND } from '../../src/core/version.js';
import { PRESETS } from './presets.js';

/**
 * Golden files: each preset's project, file by file, under __gen__/<preset>/, so a template change shows up
 * as a reviewable diff of real files. Nothing is normalised: renders are deterministic (no clock, no network).
 * A leading `.` in a path segment is stored as `_` (the template convention), so the goldens' own
 * `.gitignore` / `.github` do not act on this repository.
 * After an intended change: `rm -rf test/snapshots/__gen__ && npx vitest run test/snapshots -u`
 * (vitest does not delete file snapshots; in CI a missing golden fails instead of being written).
 */
const GEN = join(import.meta.dirname, '__gen__');

const goldenName = (path: string): string =>
  path
    .split('/')
    .map((s) => (s.startsWith('.') ? `_${s.slice(1)}` : s))
    .join('/');

const onDisk = (dir: string): string[] =>
  existsSync(dir)
    ? readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => join(entry.parentPath ?? '', entry.name).slice(dir.length + 1))
        .sort()
    : [];

describe.each(Object.entries(PRESETS))('golden project: %s', (preset, answers) => {
  const tree = withLock(answers, render(answers, { generatorCommand: PUBLISHED_GENERATOR_COMMAND }));

  test('file list', async () => {
    await expect(`${[...tree.keys()].join('\n')}\n`).toMatchFileSnapshot(`./__gen__/${preset}.files.txt`);
  });

  test.each([...tree.keys()])('%s', async (path) => {
    await expect(tree.get(path)).toMatchFileSnapshot(`./__gen__/${preset}/${goldenName(path)}`);
  });

  test('no stale golden files (a file the project no longer has)', () => {
    const expected = new Set([...tree.keys()].map(goldenName));
    const stale = onDisk(join(GEN, preset)).filter((path) => !expected.has(path));
    expect(stale, `delete test/snapshots/__gen__/${preset} and re-run with -u`).toEqual([]);
  });
});

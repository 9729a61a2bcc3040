import { describe, expect, it } from 'vitest';
import type { LockEntry } from '../../src/core/lock.js';
import { sha256 } from '../../src/core/tree.js';
import { isEmptyPlan } from '../../src/update/plan.js';
import { type ReconcileInput, reconcile } from '../../src/update/reconcile.js';

const labels = { ours: 'yours', base: 'last', theirs: 'new' };
const lines = (...l: string[]) => `${l.join('\n')}\n`;
const MAIN = lines('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h');

/** A project generated from `base` (lock + base bytes), now holding `ours` on disk, updated to `theirs`. */
function input(
  base: Record<string, string>,
  ours: Record<string, string>,
  theirs: Record<string, string>,
): ReconcileInput {
  const lock: Record<string, LockEntry> = {};
  const classOf = (path: string) =>
    path === 'src/features.generated.ts'
      ? 'managed'
      : path === 'package.json' || path === '.env.example'
        ? 'structured'
        : path.startsWith('src/tools/')
          ? 'seed'
          : 'merged';
  for (const [path, text] of Object.entries(base))
    lock[path] = { class: classOf(path), sha256: sha256(text) };
  return {
    lock,
    base: new Map(Object.entries(base)),
    ours: new Map(Object.entries(ours)),
    theirs: new Map(Object.entries(theirs)),
    labels,
    classOf,
  };
}

const kinds = (plan: ReturnType<typeof reconcile>) => plan.changes.map((c) => `${c.kind} ${c.path}`);

describe('reconcile: the decision table', () => {
  it('creates new files, replaces unmodified ones and deletes unmodified files of a removed feature', () => {
    const base = { 'src/main.ts': MAIN, 'src/features/memory/index.ts': 'memory\n' };
    const plan = reconcile(
      input(base, base, { 'src/main.ts': MAIN.replace('h', 'H'), 'src/features/redis/index.ts': 'redis\n' }),
    );
    expect(kinds(plan)).toEqual([
      'delete src/features/memory/index.ts',
      'create src/features/redis/index.ts',
      'update src/main.ts',
    ]);
    expect(plan.notes).toEqual([]);
  });

  it('is empty when nothing changed, even over user edits', () => {
    const base = { 'src/main.ts': MAIN, 'src/tools/echo/v1.ts': 'echo\n' };
    const ours = { 'src/main.ts': MAIN.replace('a', 'A'), 'src/tools/echo/v1.ts': 'my echo\n' };
    expect(isEmptyPlan(reconcile(input(base, ours, base)))).toBe(true);
  });

  it('merges an edited file cleanly when the edits are far apart', () => {
    const base = { 'src/main.ts': MAIN };
    const plan = reconcile(
      input(base, { 'src/main.ts': MAIN.replace('a', 'A') }, { 'src/main.ts': MAIN.replace('h', 'H') }),
    );
    expect(plan.changes).toEqual([
      {
        kind: 'merge',
        path: 'src/main.ts',
        class: 'merged',
        before: MAIN.replace('a', 'A'),
        after: MAIN.replace('a', 'A').replace('h', 'H'),
      },
    ]);
  });

  it('writes conflict markers when the edits overlap', () => {
    const base = { 'src/main.ts': MAIN };
    const [change] = reconcile(
      input(base, { 'src/main.ts': MAIN.replace('d', 'D1') }, { 'src/main.ts': MAIN.replace('d', 'D2') }),
    ).changes;
    expect(change?.kind).toBe('conflict');
    expect(change?.conflicts).toBe(1);
    expect(change?.after).toContain('<<<<<<< yours\nD1\n||||||| last\nd\n=======\nD2\n>>>>>>> new\n');
  });

  it('keeps an edited file of a removed feature and says so', () => {
    const base = { 'src/features/memory/index.ts': 'memory\n' };
    const plan = reconcile(input(base, { 'src/features/memory/index.ts': 'memory (tuned)\n' }, {}));
    expect(plan.changes).toEqual([]);
    expect(plan.notes).toEqual([
      { path: 'src/features/memory/index.ts', message: expect.stringContaining('you edited it') },
    ]);
  });

  it('does not restore a file the user deleted, but restores a managed one', () => {
    const base = {
      Dockerfile: 'FROM node:22\n',
      'src/features.generated.ts': 'export const features = [];\n',
    };
    const theirs = {
      Dockerfile: 'FROM node:24\n',
      'src/features.generated.ts': 'export const features = [a];\n',
    };
    const plan = reconcile(input(base, {}, theirs));
    expect(kinds(plan)).toEqual(['create src/features.generated.ts']);
    expect(plan.notes).toEqual([{ path: 'Dockerfile', message: 'not restored: you deleted it' }]);
  });

  it('never touches an edited seed file, but refreshes one the user never changed', () => {
    const base = { 'src/tools/echo/v1.ts': 'echo\n', 'src/tools/index.ts': 'index\n' };
    const ours = { 'src/tools/echo/v1.ts': 'my echo\n', 'src/tools/index.ts': 'index\n' };
    const theirs = { 'src/tools/echo/v1.ts': 'echo 2\n', 'src/tools/index.ts': 'index 2\n' };
    expect(kinds(reconcile(input(base, ours, theirs)))).toEqual(['update src/tools/index.ts']);
  });

  it('reports a user edit of a managed file as a conflict, never overwriting it', () => {
    const base = { 'src/features.generated.ts': lines('// managed', 'export const features = [a];') };
    const ours = { 'src/features.generated.ts': lines('// managed', 'export const features = [a, mine];') };
    const theirs = { 'src/features.generated.ts': lines('// managed', 'export const features = [a, b];') };
    const [change] = reconcile(input(base, ours, theirs)).changes;
    expect(change?.kind).toBe('conflict');
    expect(change?.after).toContain('[a, mine]');
    expect(change?.after).toContain('[a, b]');
  });

  it('merges package.json by key and keeps a dependency the user added', () => {
    const pkg = (deps: Record<string, string>) =>
      `${JSON.stringify({ name: 'x', dependencies: deps }, null, 2)}\n`;
    const base = { 'package.json': pkg({ pino: '^10.4.0' }) };
    const ours = { 'package.json': pkg({ 'left-pad': '^1.0.0', pino: '^10.4.0' }) };
    const theirs = { 'package.json': pkg({ pino: '^10.4.0', redis: '^6.3.1' }) };
    const [change] = reconcile(input(base, ours, theirs)).changes;
    expect(change?.kind).toBe('merge');
    expect(change?.after).toBe(pkg({ 'left-pad': '^1.0.0', pino: '^10.4.0', redis: '^6.3.1' }));
  });

  it('treats a file of the user in the place of a new generated file as a conflict, not an overwrite', () => {
    const plan = reconcile(input({}, { Dockerfile: 'FROM alpine\n' }, { Dockerfile: 'FROM node:24\n' }));
    expect(plan.changes[0]?.kind).toBe('conflict');
    expect(plan.changes[0]?.after).toContain('FROM alpine');
  });

  it('adds our keys to a package.json the user wrote before the generator ever did', () => {
    const plan = reconcile(
      input(
        {},
        { 'package.json': '{\n  "name": "mine"\n}\n' },
        { 'package.json': '{\n  "name": "x",\n  "type": "module"\n}\n' },
      ),
    );
    expect(plan.changes[0]).toMatchObject({
      kind: 'merge',
      after: '{\n  "name": "mine",\n  "type": "module"\n}\n',
    });
    expect(plan.notes[0]?.message).toContain('kept your "name"');
  });

  it('lists edited files of a removed feature as orphans, so they stay tracked', () => {
    const base = { 'src/features/memory/index.ts': 'memory\n', 'src/features/memory/store.ts': 'store\n' };
    const plan = reconcile(input(base, { ...base, 'src/features/memory/store.ts': 'store (mine)\n' }, {}));
    expect(plan.orphans).toEqual(['src/features/memory/store.ts']);
    expect(kinds(plan)).toEqual(['delete src/features/memory/index.ts']);
  });

  it('shows every difference when the base is unknown (an older version without a stored base)', () => {
    const base = { 'src/main.ts': MAIN };
    const data = input(
      base,
      { 'src/main.ts': MAIN.replace('a', 'A') },
      { 'src/main.ts': MAIN.replace('h', 'H') },
    );
    const [change] = reconcile({ ...data, base: new Map() }).changes;
    expect(change?.kind).toBe('conflict');
    expect(change?.conflicts).toBe(2);
  });

  it('keeps CRLF files CRLF and does not count a CRLF checkout as an edit', () => {
    const base = { 'src/main.ts': MAIN };
    const crlf = MAIN.replaceAll('\n', '\r\n');
    const [change] = reconcile(
      input(base, { 'src/main.ts': crlf }, { 'src/main.ts': MAIN.replace('h', 'H') }),
    ).changes;
    expect(change).toMatchObject({ kind: 'update', after: MAIN.replace('h', 'H').replaceAll('\n', '\r\n') });
  });
});

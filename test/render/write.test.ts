import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { applyFiles, writeNewProject } from '../../src/core/write.js';

const scratch = () => mkdtempSync(join(tmpdir(), 'prod-mcp-write-'));

describe('writeNewProject', () => {
  test('writes every file (creating parents); a #! file is executable; no staging folder is left', async () => {
    const parent = scratch();
    const target = join(parent, 'deep', 'project');
    await writeNewProject(
      target,
      new Map([
        ['a.txt', 'a\n'],
        ['src/b.ts', 'b\n'],
        ['bin/run', '#!/bin/sh\necho hi\n'],
      ]),
    );
    expect(readFileSync(join(target, 'src/b.ts'), 'utf8')).toBe('b\n');
    expect(statSync(join(target, 'bin/run')).mode & 0o111).not.toBe(0);
    expect(statSync(join(target, 'a.txt')).mode & 0o111).toBe(0);
    expect(readdirSync(join(parent, 'deep'))).toEqual(['project']);
  });

  test('a failure mid-way leaves nothing behind, not even the parent folders it made', async () => {
    const parent = scratch();
    const target = join(parent, 'made', 'project');
    // `a` as a file and as a folder: the second write fails after the first succeeded.
    const tree = new Map([
      ['a', 'file'],
      ['a/b', 'cannot exist'],
    ]);
    await expect(writeNewProject(target, tree)).rejects.toThrow(/ENOTDIR|EEXIST/);
    expect(readdirSync(parent)).toEqual([]);
  });

  test('an existing empty directory is filled in place', async () => {
    const target = scratch();
    await writeNewProject(target, new Map([['x.txt', 'x']]));
    expect(readdirSync(target)).toEqual(['x.txt']);
  });
});

describe('applyFiles', () => {
  test('writes, replaces and deletes inside an existing folder', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'keep.txt'), 'mine');
    writeFileSync(join(dir, 'old.txt'), 'old');
    writeFileSync(join(dir, 'gone.txt'), 'gone');
    await applyFiles(
      dir,
      new Map([
        ['old.txt', 'new'],
        ['sub/new.txt', 'n'],
      ]),
      ['gone.txt'],
    );
    expect(readdirSync(dir).sort()).toEqual(['keep.txt', 'old.txt', 'sub']);
    expect(readFileSync(join(dir, 'old.txt'), 'utf8')).toBe('new');
  });

  test('a failure restores every replaced and deleted file and removes new ones', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'old.txt'), 'old');
    writeFileSync(join(dir, 'gone.txt'), 'gone');
    writeFileSync(join(dir, 'plain'), 'a file');
    const writes = new Map([
      ['old.txt', 'new'],
      ['fresh/dir/f.txt', 'f'],
      // `plain` is a file on disk, so this write fails, after the writes above were applied.
      ['plain/child.txt', 'c'],
    ]);
    await expect(applyFiles(dir, writes, ['gone.txt'])).rejects.toThrow(/ENOTDIR|EEXIST/);
    expect(readdirSync(dir).sort()).toEqual(['gone.txt', 'old.txt', 'plain']);
    expect(readFileSync(join(dir, 'old.txt'), 'utf8')).toBe('old');
    expect(readFileSync(join(dir, 'plain'), 'utf8')).toBe('a file');
    expect(existsSync(join(dir, 'fresh'))).toBe(false);
  });
});

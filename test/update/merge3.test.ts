import { describe, expect, it } from 'vitest';
import { merge3, mergeManaged, mergeWithoutBase } from '../../src/update/merge3.js';
import { splitLines } from '../../src/update/text.js';

const labels = { ours: 'yours', base: 'generated 0.1.0', theirs: 'generated 0.2.0' };
const lines = (...l: string[]) => `${l.join('\n')}\n`;

describe('splitLines', () => {
  it('keeps terminators so joining restores the text', () => {
    for (const text of ['', 'a', 'a\n', 'a\nb', 'a\r\nb\n\n', '\n\n'])
      expect(splitLines(text).join('')).toBe(text);
    expect(splitLines('a b\nc d')).toEqual(['a b\n', 'c d']);
  });
});

describe('merge3', () => {
  const base = lines('one', 'two', 'three', 'four', 'five', 'six', 'seven');

  it('applies both sides when they change lines far apart', () => {
    const ours = base.replace('two', 'TWO (mine)');
    const theirs = base.replace('six', 'SIX (new template)');
    expect(merge3(ours, base, theirs, labels)).toEqual({
      text: lines('one', 'TWO (mine)', 'three', 'four', 'five', 'SIX (new template)', 'seven'),
      conflicts: 0,
    });
  });

  it('merges lines, not words: a changed word elsewhere on a line is not a conflict of words', () => {
    const b = lines('const a = 1;', 'const b = 2;', 'const c = 3;', 'const d = 4;');
    const o = b.replace('a = 1', 'a = 10');
    const t = b.replace('d = 4', 'd = 40');
    expect(merge3(o, b, t, labels).text).toBe(
      lines('const a = 10;', 'const b = 2;', 'const c = 3;', 'const d = 40;'),
    );
  });

  it('writes git-style markers with all three versions when both change the same line', () => {
    const ours = base.replace('four', 'FOUR (mine)');
    const theirs = base.replace('four', 'FOUR (new)');
    const result = merge3(ours, base, theirs, labels);
    expect(result.conflicts).toBe(1);
    expect(result.text).toBe(
      lines(
        'one',
        'two',
        'three',
        '<<<<<<< yours',
        'FOUR (mine)',
        '||||||| generated 0.1.0',
        'four',
        '=======',
        'FOUR (new)',
        '>>>>>>> generated 0.2.0',
        'five',
        'six',
        'seven',
      ),
    );
  });

  it('treats the same change on both sides as no conflict', () => {
    const changed = base.replace('four', 'FOUR');
    expect(merge3(changed, base, changed, labels)).toEqual({ text: changed, conflicts: 0 });
  });

  it('keeps a user insertion and a generator insertion at different places', () => {
    const ours = base.replace('two\n', 'two\nmine\n');
    const theirs = base.replace('six\n', 'six\nnew\n');
    expect(merge3(ours, base, theirs, labels)).toEqual({
      text: lines('one', 'two', 'mine', 'three', 'four', 'five', 'six', 'new', 'seven'),
      conflicts: 0,
    });
  });

  it('starts a marker on its own line when a side lacks a final newline', () => {
    const result = merge3('a\nmine', 'a\nb', 'a\ntheirs', labels);
    expect(result.conflicts).toBe(1);
    expect(result.text).toBe(
      lines(
        'a',
        '<<<<<<< yours',
        'mine',
        '||||||| generated 0.1.0',
        'b',
        '=======',
        'theirs',
        '>>>>>>> generated 0.2.0',
      ),
    );
  });

  it('with an empty base (a file of the user in the way) conflicts unless identical', () => {
    expect(merge3('x\n', '', 'y\n', labels).conflicts).toBe(1);
    expect(merge3('x\n', '', 'x\n', labels)).toEqual({ text: 'x\n', conflicts: 0 });
  });
});

describe('mergeManaged', () => {
  it('turns the user edit into one conflict block around the differing lines', () => {
    const base = lines('// header', "import { a } from './a.js';", '', 'export const features = [a];');
    const ours = base.replace('[a]', '[a, mine]');
    const theirs = lines(
      '// header',
      "import { a } from './a.js';",
      "import { b } from './b.js';",
      '',
      'export const features = [a, b];',
    );
    const result = mergeManaged(ours, base, theirs, labels);
    expect(result.conflicts).toBe(1);
    expect(result.text.startsWith('// header\n')).toBe(true);
    expect(result.text).toContain('export const features = [a, mine];');
    expect(result.text).toContain('export const features = [a, b];');
    expect(result.text).toContain('<<<<<<< yours\n');
    expect(result.text).toContain('>>>>>>> generated 0.2.0\n');
  });
});

describe('mergeWithoutBase', () => {
  it('keeps shared lines and shows every difference as a conflict', () => {
    const result = mergeWithoutBase(lines('a', 'mine', 'c', 'd'), lines('a', 'b', 'c', 'd', 'e'), labels);
    expect(result.conflicts).toBe(2);
    expect(result.text).toBe(
      lines(
        'a',
        '<<<<<<< yours',
        'mine',
        '=======',
        'b',
        '>>>>>>> generated 0.2.0',
        'c',
        'd',
        '<<<<<<< yours',
        '=======',
        'e',
        '>>>>>>> generated 0.2.0',
      ),
    );
  });
});

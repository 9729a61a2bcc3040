import { describe, expect, it } from 'vitest';
import { printable } from '../../src/core/printable.js';
import { diffs, planLines } from '../../src/update/report.js';
import { bookkeepingSummary } from '../../src/update/summary.js';

/** Paths and answers come from the lock and base.json on disk: a hostile one must not reach the terminal raw. */
const FORGED = 'src/x.ts\u001b[1A\u001b[2K  DELETE nothing\nCREATE  \u202eevil';

describe('plan output escapes what the lock and the project control', () => {
  it('printable writes control characters and bidi overrides as escapes, and leaves the rest alone', () => {
    expect(printable('a\u001bb\nc\u202ed\u0000é✓')).toBe('a\\x1bb\\x0ac\\u202ed\\x00é✓');
  });

  it('a forged path prints as one escaped line in the file list, the notes and the diff headers', () => {
    const change = { kind: 'delete' as const, path: FORGED, class: 'merged' as const, before: 'x\n' };
    const lines = planLines({
      changes: [change],
      notes: [{ path: FORGED, message: 'kept\nas is' }],
      orphans: [],
    });
    const text = [...lines, ...diffs({ changes: [change], notes: [], orphans: [] })].join('\n');
    for (const char of ['\u001b', '\u202e']) expect(text).not.toContain(char);
    expect(lines[0]).toContain('src/x.ts\\x1b[1A\\x1b[2K  DELETE nothing\\x0aCREATE  \\u202eevil');
    // The file list, the note, the diff header and its --- line: each one line, nothing forged between them.
    expect(text.split('\n').filter((line) => line.includes('DELETE nothing'))).toHaveLength(4);
  });

  it("the lock summary escapes the old lock's answer values", () => {
    const lock = (name: string) =>
      JSON.stringify({ generator: { version: '0.1.0' }, answers: { name }, files: {} });
    const summary = bookkeepingSummary({
      kind: 'update',
      path: 'prod-mcp.lock.json',
      class: 'managed',
      before: lock('old\u001b]8;;https://evil.example\u0007'),
      after: lock('new'),
    });
    expect(summary).not.toContain('\u001b');
    expect(summary).toContain('old\\x1b]8;;https://evil.example\\x07 → new');
  });
});

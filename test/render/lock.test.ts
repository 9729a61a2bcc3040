import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { createLock, LOCK_FILE, parseLock, serializeLock, withLock } from '../../src/core/lock.js';
import { GENERATOR } from '../../src/core/version.js';
import { answers } from './fixtures.js';

const tree = new Map([
  ['src/features.generated.ts', 'export const features = [] as const;\n'],
  ['src/tools/echo/v1.ts', 'echo\n'],
  ['package.json', '{}\n'],
  ['Dockerfile', 'FROM node:24-slim\n'],
  ['README.md', '# demo\n'],
]);

describe('prod-mcp.lock.json', () => {
  test('records the generator, the answers and every file with its class and sha256', () => {
    const lock = createLock(answers(), tree);
    expect(lock.generator).toEqual({ name: 'create-prod-mcp', version: GENERATOR.version });
    expect(lock.answers).toEqual(answers());
    expect(Object.keys(lock.files)).toEqual([
      'Dockerfile',
      'README.md',
      'package.json',
      'src/features.generated.ts',
      'src/tools/echo/v1.ts',
    ]);
    expect(lock.files['src/features.generated.ts']?.class).toBe('managed');
    expect(lock.files['src/tools/echo/v1.ts']?.class).toBe('seed');
    expect(lock.files['README.md']?.class).toBe('seed');
    expect(lock.files['package.json']?.class).toBe('structured');
    expect(lock.files.Dockerfile).toEqual({
      class: 'merged',
      sha256: createHash('sha256').update('FROM node:24-slim\n').digest('hex'),
    });
  });

  test('withLock adds the lock file (which does not list itself) and round-trips through parseLock', () => {
    const out = withLock(answers(), tree);
    const text = out.get(LOCK_FILE) ?? '';
    expect(text).toBe(serializeLock(createLock(answers(), tree)));
    const parsed = parseLock(text);
    expect(parsed.files[LOCK_FILE]).toBeUndefined();
    expect(parsed.answers).toEqual(answers());
  });

  test.each([
    ['not json', '{', /not valid JSON/],
    ['no generator', '{"answers":{}}', /generator\.name/],
    [
      'bad answers',
      JSON.stringify({ generator: GENERATOR, answers: { ...answers(), auth: 'magic' }, files: {} }),
      /--auth "magic"/,
    ],
    [
      'bad file entry',
      JSON.stringify({
        generator: GENERATOR,
        answers: answers(),
        files: { a: { class: 'weird', sha256: 'x' } },
      }),
      /files\["a"\] needs a class and a sha256/,
    ],
  ])('a broken lock file (%s) is rejected with a message naming the problem', (_, text, message) => {
    expect(() => parseLock(text)).toThrow(message);
  });
});

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findKey, loadKeys, parseKeys, sha256 } from '../../../src/features/auth-api-key/keys.js';

const hex = (key: string) => sha256(key).toString('hex');

describe('API_KEYS parsing', () => {
  it('reads comma- and newline-separated entries, comments and per-key scopes', () => {
    const keys = parseKeys(`# ops\nalice:${hex('a')}, bob:${hex('b')}:reports:read reports:write\n\n`);
    expect(keys.map((k) => [k.name, k.scopes])).toEqual([
      ['alice', []],
      ['bob', ['reports:read', 'reports:write']],
    ]);
  });

  it('refuses a raw key pasted instead of its hash, without echoing it', () => {
    const raw = 'mcp_this-is-a-secret-key-that-must-not-be-logged';
    expect(() => parseKeys(`alice:${raw}`)).toThrow(/entry 1 is not "name:sha256hex\[:scopes\]".*keys:new/);
    try {
      parseKeys(`alice:${raw}`);
    } catch (error) {
      expect((error as Error).message).not.toContain(raw);
    }
  });

  it('refuses duplicate names, duplicate keys and an empty list', () => {
    expect(() => parseKeys(`a:${hex('x')},a:${hex('y')}`)).toThrow(/name "a" is used twice/);
    expect(() => parseKeys(`a:${hex('x')},b:${hex('x')}`)).toThrow(/same key is configured twice/);
    expect(() => parseKeys(' # nothing\n')).toThrow(/no keys configured/);
  });

  it('loads a keys file given as a path, and names the file in errors', () => {
    const dir = mkdtempSync(join(tmpdir(), 'keys-'));
    const file = join(dir, 'api-keys');
    writeFileSync(file, `alice:${hex('a')}\n`);
    expect(loadKeys(file).map((k) => k.name)).toEqual(['alice']);
    writeFileSync(file, 'alice:nothex\n');
    expect(() => loadKeys(file)).toThrow(file);
    expect(() => loadKeys(join(dir, 'missing'))).toThrow(/cannot read the keys file/);
  });

  it('matches only the exact key', () => {
    const keys = parseKeys(`alice:${hex('key-a')},bob:${hex('key-b')}`);
    expect(findKey(keys, 'key-b')?.name).toBe('bob');
    expect(findKey(keys, 'key-b ')).toBeUndefined();
    expect(findKey(keys, 'KEY-B')).toBeUndefined();
    expect(findKey(keys, '')).toBeUndefined();
  });
});

describe('npm run keys:new', () => {
  const run = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'scripts/keys-new.ts', ...args], { encoding: 'utf8' });

  it('prints a fresh key once and the entry that holds its hash', () => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', 'scripts/keys-new.ts', 'carol'], {
      encoding: 'utf8',
    });
    const key = /^ {2}(mcp_[A-Za-z0-9_-]{43})$/m.exec(out)?.[1];
    const entry = /^ {2}(carol:[0-9a-f]{64})$/m.exec(out)?.[1];
    expect(key).toBeDefined();
    expect(findKey(parseKeys(entry ?? ''), key ?? '')?.name).toBe('carol');
    expect(run('carol').stdout).not.toContain(key);
  });

  it('refuses a missing or unusable name', () => {
    for (const args of [[], ['no spaces allowed'], ['a:b']]) {
      const result = run(...args);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('Usage: npm run keys:new -- <name>');
    }
  });
});

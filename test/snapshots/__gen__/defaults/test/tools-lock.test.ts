import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { compareLock, lockOf, type ToolsLock } from '../scripts/lib/tools-lock.js';
import { tools } from '../src/tools/index.js';
import { retiredV1, slowV1, sunsetV1 } from './fixtures/tools.js';

describe('tools.lock.json', () => {
  it('matches every published tool version (what npm run tools:check enforces)', () => {
    const locked = JSON.parse(
      readFileSync(new URL('../tools.lock.json', import.meta.url), 'utf8'),
    ) as ToolsLock;
    expect(compareLock(locked, lockOf(tools))).toEqual({ breaking: [], unlocked: [] });
  });

  it('refuses a changed schema and a removal before the sunset, and asks to lock new versions', () => {
    const locked = lockOf([slowV1, sunsetV1, retiredV1]);
    const changed = { ...slowV1, input: z.object({ ms: z.number(), jitter: z.number() }) };
    const newer = { ...slowV1, version: 2 };
    const problems = compareLock(locked, lockOf([changed, newer]));
    expect(problems.breaking).toEqual([
      'slow_v1: its input schema changed since it was published. Published versions are frozen: add a new version instead (e.g. slow_v2) and leave slow_v1 as it was.',
      'sunset_v1 was removed, but it is published: mark it deprecated (replacedBy, sunset) and remove it after the sunset.',
    ]);
    expect(problems.unlocked).toEqual(['slow_v2 is not in tools.lock.json yet: run npm run tools:lock.']);
  });
});

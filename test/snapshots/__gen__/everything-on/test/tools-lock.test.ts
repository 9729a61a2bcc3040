import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { compareLock, lockOf, parseLock } from '../scripts/lib/tools-lock.js';
import { definePrompt } from '../src/core/prompt.js';
import { defineResource, defineResourceTemplate } from '../src/core/resource.js';
import { prompts } from '../src/prompts/index.js';
import { resources } from '../src/resources/index.js';
import { tools } from '../src/tools/index.js';
import { retiredV1, slowV1, sunsetV1 } from './fixtures/tools.js';

const published = { tools, prompts, resources };
const askV1 = definePrompt({
  name: 'ask',
  version: 1,
  title: 'Ask',
  description: 'Asks a question.',
  args: z.object({ question: z.string() }),
  handler: async () => [],
});
const report = defineResource({ name: 'report', uri: 'reports://latest', read: async () => ({ text: '' }) });
const day = defineResourceTemplate({
  name: 'day',
  uriTemplate: 'reports://days/{date}',
  read: async () => ({ text: '' }),
});

describe('tools.lock.json', () => {
  it('matches every published tool, prompt and resource (what npm run tools:check enforces)', () => {
    const locked = parseLock(readFileSync(new URL('../tools.lock.json', import.meta.url), 'utf8'));
    // A lock from before prompts and resources were locked passes on its tools, as tools:check does.
    const { breaking, unlocked } = compareLock(locked, lockOf(published));
    expect({ breaking, unlocked }).toEqual({ breaking: [], unlocked: [] });
  });

  it('refuses a changed schema and a removal before the sunset, and asks to lock new versions', () => {
    const locked = lockOf({ tools: [slowV1, sunsetV1, retiredV1], prompts: [askV1], resources: [] });
    const changed = { ...slowV1, input: z.object({ ms: z.number(), jitter: z.number() }) };
    const newer = { ...slowV1, version: 2 };
    const askChanged = { ...askV1, args: z.object({ question: z.string(), tone: z.string() }) };
    const problems = compareLock(
      locked,
      lockOf({ tools: [changed, newer], prompts: [askChanged], resources: [report] }),
    );
    expect(problems.breaking).toEqual([
      'Tool slow_v1: its input schema changed since it was published. Published versions are frozen: add a new version instead (e.g. slow_v2) and leave slow_v1 as it was.',
      'Tool sunset_v1 was removed, but it is published: mark it deprecated (replacedBy, sunset) and remove it after the sunset.',
      'Prompt ask_v1: its arguments changed since it was published. Published versions are frozen: add a new version instead (e.g. ask_v2) and leave ask_v1 as it was.',
    ]);
    expect(problems.unlocked).toEqual([
      'Tool slow_v2 is not in tools.lock.json yet: run npm run tools:lock.',
      'Resource report is not in tools.lock.json yet: run npm run tools:lock.',
    ]);
  });

  it('locks a deprecated prompt with its sunset, and lets it go only once the sunset has passed', () => {
    const fading = { ...askV1, deprecated: { replacedBy: 'ask_v2', sunset: '2030-01-01T00:00:00Z' } };
    const locked = lockOf({ tools: [], prompts: [fading], resources: [] });
    expect(locked.prompts.ask_v1?.sunset).toBe('2030-01-01T00:00:00Z');
    const gone = lockOf({ tools: [], prompts: [], resources: [] });
    expect(compareLock(locked, gone, Date.parse('2029-12-31T00:00:00Z')).breaking).toEqual([
      'Prompt ask_v1 was removed, but it is published: mark it deprecated (replacedBy, sunset) and remove it after the sunset.',
    ]);
    expect(compareLock(locked, gone, Date.parse('2030-01-02T00:00:00Z')).breaking).toEqual([]);
  });

  it('refuses a resource whose address changed or that vanished', () => {
    const locked = lockOf({ tools: [], prompts: [], resources: [report, day] });
    const moved = { ...day, uriTemplate: 'reports://day/{date}' };
    expect(compareLock(locked, lockOf({ tools: [], prompts: [], resources: [moved] })).breaking).toEqual([
      'Resource day: its URI template changed since it was published. Clients address it by that: keep serving it as it was, and publish the change as a new resource beside it.',
      'Resource report was removed, but it is published: clients reading it would get not-found. Keep serving it (re-lock with npm run tools:lock -- --force only if no client ever read it).',
    ]);
  });

  it('reads a lock of tools only (written before prompts and resources were locked) without failing', () => {
    const toolsOnly = parseLock(
      JSON.stringify(lockOf({ tools: [slowV1], prompts: [], resources: [] }).tools),
    );
    const problems = compareLock(toolsOnly, lockOf({ tools: [slowV1], prompts: [askV1], resources: [day] }));
    expect(problems).toEqual({
      breaking: [],
      unlocked: [],
      uncovered: [
        'Prompts are not in tools.lock.json yet (it was written before they were locked): run npm run tools:lock to lock ask_v1.',
        'Resources are not in tools.lock.json yet (it was written before they were locked): run npm run tools:lock to lock day.',
      ],
    });
    // Its tools are still held to what was published.
    const changed = { ...slowV1, input: z.object({ ms: z.string() }) };
    expect(
      compareLock(toolsOnly, lockOf({ tools: [changed], prompts: [], resources: [] })).breaking,
    ).toHaveLength(1);
  });
});

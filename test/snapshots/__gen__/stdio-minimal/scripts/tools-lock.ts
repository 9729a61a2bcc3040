import { readFileSync, writeFileSync } from 'node:fs';
import { prompts } from '../src/prompts/index.js';
import { resources } from '../src/resources/index.js';
import { tools } from '../src/tools/index.js';
import { compareLock, lockOf, parseLock, summary } from './lib/tools-lock.js';

/**
 * npm run tools:check  fails when a published tool or prompt version's schema, or a resource's URI, changed
 *                      (or is not locked yet).
 * npm run tools:lock   records new versions; it refuses to re-lock a changed published version unless
 *                      given --force (only for a version that was never released to anyone).
 * A lock written before prompts and resources were locked (tools only) still checks its tools and says what
 * the next tools:lock adds.
 */
const LOCK_FILE = new URL('../tools.lock.json', import.meta.url);
const [command = 'check', ...flags] = process.argv.slice(2);

const locked = parseLock(readFileSync(LOCK_FILE, 'utf8'));
const current = lockOf({ tools, prompts, resources });
const { breaking, unlocked, uncovered } = compareLock(locked, current);

if (command === 'check') {
  for (const problem of [...breaking, ...unlocked]) console.error(`✖ ${problem}`);
  if (breaking.length + unlocked.length > 0) process.exit(1);
  for (const notice of uncovered) console.log(`ℹ ${notice}`);
  // A lock that predates prompts and resources vouches for its tools only; say so rather than "all".
  const checked = uncovered.length > 0 ? { lockfileVersion: 2 as const, tools: current.tools } : current;
  console.log(`tools.lock.json matches the published shapes: ${summary(checked)}.`);
} else if (command === 'write') {
  if (breaking.length > 0 && !flags.includes('--force')) {
    for (const problem of breaking) console.error(`✖ ${problem}`);
    console.error('Nothing written. (--force re-locks anyway: only for versions no client has seen.)');
    process.exit(1);
  }
  writeFileSync(LOCK_FILE, `${JSON.stringify(current, null, 2)}\n`);
  console.log(`tools.lock.json: ${summary(current)} locked.`);
} else {
  console.error(`Unknown command "${command}": use check or write.`);
  process.exit(2);
}

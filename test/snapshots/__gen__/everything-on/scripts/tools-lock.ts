import { readFileSync, writeFileSync } from 'node:fs';
import { tools } from '../src/tools/index.js';
import { compareLock, lockOf, type ToolsLock } from './lib/tools-lock.js';

/**
 * npm run tools:check  fails when a published tool version's schema changed (or is not locked yet).
 * npm run tools:lock   records new versions; it refuses to re-lock a changed published version unless
 *                      given --force (only for a version that was never released to anyone).
 */
const LOCK_FILE = new URL('../tools.lock.json', import.meta.url);
const [command = 'check', ...flags] = process.argv.slice(2);

const locked = JSON.parse(readFileSync(LOCK_FILE, 'utf8')) as ToolsLock;
const current = lockOf(tools);
const { breaking, unlocked } = compareLock(locked, current);

if (command === 'check') {
  for (const problem of [...breaking, ...unlocked]) console.error(`✖ ${problem}`);
  if (breaking.length + unlocked.length > 0) process.exit(1);
  console.log(`tools.lock.json matches all ${Object.keys(current).length} published tool versions.`);
} else if (command === 'write') {
  if (breaking.length > 0 && !flags.includes('--force')) {
    for (const problem of breaking) console.error(`✖ ${problem}`);
    console.error('Nothing written. (--force re-locks anyway: only for versions no client has seen.)');
    process.exit(1);
  }
  writeFileSync(LOCK_FILE, `${JSON.stringify(current, null, 2)}\n`);
  console.log(`tools.lock.json: ${Object.keys(current).length} tool versions locked.`);
} else {
  console.error(`Unknown command "${command}": use check or write.`);
  process.exit(2);
}

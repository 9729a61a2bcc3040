// Tool-call throughput and latency of the generated server (issue 3's core: --auth none --rate-limit none,
// default LOG_LEVEL=info, so the per-call log line is paid) against a bare SDK v2 `createMcpHandler` server
// serving the same tool, in the same run. Variants are interleaved in rounds so machine drift hits all alike;
// medians are reported with the ratio to the bare server, and so is the server's own CPU time per call (least
// of the rounds), which other load on a shared machine disturbs far less than requests/s.
// `generated, warn` shows what the per-call info log line costs; `defaults, no auth` adds the default in-memory
// rate limits (thresholds out of reach, so every check runs and none refuses); `defaults (--yes)` is exactly
// what `--yes` generates: api-key auth with a real key on every call, the in-memory limits, info logs.
// Needs `npm run build` (npm run bench does it). About 120 s.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  boot,
  buildProject,
  load,
  printRatios,
  ROOT,
  SERVER_NODE,
  toolCall,
  UNREACHABLE_LIMITS,
} from './server/harness.mjs';

const ROUNDS = 4;
const SECONDS = 4;
const CONNECTIONS = 50;
const request = toolCall('convert_temperature_v2', { value: 21, from: 'celsius', to: 'fahrenheit' });

const dir = buildProject('core', [
  '--transport',
  'both',
  '--auth',
  'none',
  '--rate-limit',
  'none',
  '--no-docker',
]);
copyFileSync(join(ROOT, 'bench/server/bare-server.mjs'), join(dir, 'bare-server.mjs'));
// The defaults with --auth none: in-memory rate limits on, set high enough never to refuse, so their code runs.
const defaults = buildProject('defaults', ['--auth', 'none', '--no-docker']);
// The true defaults: nothing but --yes. One real API key (stored as its sha256, as `keys:new` prints it).
const trueDefaults = buildProject('true-defaults', []);
const API_KEY = 'bench-key-0123456789abcdef';
const KEYS = { API_KEYS: `bench:${createHash('sha256').update(API_KEY).digest('hex')}` };
const withKey = { ...request, headers: { ...request.headers, authorization: `Bearer ${API_KEY}` } };
const LIMITS = UNREACHABLE_LIMITS;

// Every server must answer the call correctly before its speed means anything.
const variants = {
  bare: await boot(dir, 'bare-server.mjs', {}),
  generated: await boot(dir, 'dist/main.js', { LOG_LEVEL: 'info' }),
  'generated, warn': await boot(dir, 'dist/main.js', { LOG_LEVEL: 'warn' }),
  'defaults, no auth': await boot(defaults, 'dist/main.js', { LOG_LEVEL: 'info', ...LIMITS }),
  'defaults (--yes)': await boot(trueDefaults, 'dist/main.js', { LOG_LEVEL: 'info', ...LIMITS, ...KEYS }),
};
/** What each variant is sent: the key where auth is on. */
const requestFor = (name) => (name === 'defaults (--yes)' ? withKey : request);
for (const [name, { port }] of Object.entries(variants)) {
  const answer = await fetch(`http://127.0.0.1:${port}/mcp`, requestFor(name)).then((r) => r.json());
  if (answer.result?.structuredContent?.value !== 69.8)
    throw new Error(`${name} answered ${JSON.stringify(answer)}`);
}
// Auth must really be on where it should: the same call without the key is refused (403: see reject.ts).
const unkeyed = await fetch(`http://127.0.0.1:${variants['defaults (--yes)'].port}/mcp`, request);
if (unkeyed.status !== 403) throw new Error(`defaults (--yes) answered ${unkeyed.status} without a key`);

const samples = Object.fromEntries(Object.keys(variants).map((name) => [name, []]));
for (const [name, port] of Object.entries(variants))
  await load(port, requestFor(name), { connections: CONNECTIONS, seconds: 2 });
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, port] of Object.entries(variants)) {
    samples[name].push(await load(port, requestFor(name), { connections: CONNECTIONS, seconds: SECONDS }));
  }
}

const nodeVersion = execFileSync(SERVER_NODE, ['--version'], { encoding: 'utf8' }).trim();
console.log(`servers on Node ${nodeVersion} (BENCH_NODE=<path> for another)`);
console.log(
  `tools/call (2026-07-28), ${CONNECTIONS} connections, server pinned to one core, ${ROUNDS} x ${SECONDS} s`,
);
printRatios(samples, 'call');
process.exit(0);

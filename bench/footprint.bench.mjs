// Footprint against the bare SDK v2 server, in the same run (issue 15: both within 1.1x of bare):
//   RSS    resident memory after each of 3 batches of 50k tools/call (50 connections): it must stay flat (no
//          growth batch over batch: nothing kept per call) and near bare's. Batches are interleaved across
//          servers, so load elsewhere on the machine hits all alike.
//   cold   spawn -> first successful tools/call (the answer checked), polled every 2 ms: Node's start, module
//          loading, config and listener. Servers take turns, COLD_RUNS each; the median is reported.
// Variants: `bare` (bench/server/bare-server.mjs), `core` (--auth none --rate-limit none) and `defaults (--yes)`
// (api-key auth with a real key, memory limits, info logs). Servers pinned to CPU 0 and run on the Dockerfile's
// Node (see SERVER_NODE). Needs `npm run build` (npm run bench does it). About 90 s.
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  boot,
  buildProject,
  freePort,
  load,
  median,
  ROOT,
  SERVER_NODE,
  toolCall,
  track,
  UNREACHABLE_LIMITS,
} from './server/harness.mjs';

const BATCHES = 3;
const CALLS = 50_000;
const CONNECTIONS = 50;
const COLD_RUNS = 9;

const call = toolCall('convert_temperature_v2', { value: 21, from: 'celsius', to: 'fahrenheit' });
const API_KEY = 'bench-key-0123456789abcdef';
const LIMITS = UNREACHABLE_LIMITS;

const core = buildProject('core', ['--transport', 'http', '--auth', 'none', '--rate-limit', 'none']);
copyFileSync(join(ROOT, 'bench/server/bare-server.mjs'), join(core, 'bare-server.mjs'));
const defaults = buildProject('defaults', []);
const keyed = { ...call, headers: { ...call.headers, authorization: `Bearer ${API_KEY}` } };
const variants = {
  bare: { dir: core, entry: 'bare-server.mjs', env: {}, request: call },
  core: { dir: core, entry: 'dist/main.js', env: { LOG_LEVEL: 'info' }, request: call },
  'defaults (--yes)': {
    dir: defaults,
    entry: 'dist/main.js',
    env: {
      LOG_LEVEL: 'info',
      ...LIMITS,
      API_KEYS: `bench:${createHash('sha256').update(API_KEY).digest('hex')}`,
    },
    request: keyed,
  },
};

/** Resident set size of a process, in MB (VmRSS from /proc). */
const rssMb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;

/** Answers the call correctly (a server that answers wrongly is not measured). */
async function answers(port, request) {
  const response = await fetch(`http://127.0.0.1:${port}/mcp`, request).catch(() => undefined);
  if (response?.status !== 200) return false;
  const body = await response.json();
  if (body.result?.structuredContent?.value !== 69.8)
    throw new Error(`wrong answer: ${JSON.stringify(body)}`);
  return true;
}

/** Spawn -> first successful call, in ms; the server is stopped again before this returns. */
async function coldStart({ dir, entry, env, request }) {
  const port = await freePort();
  const pin = existsSync('/usr/bin/taskset') ? ['taskset', '-c', '0'] : [];
  const [command, ...args] = [...pin, SERVER_NODE, entry];
  const start = performance.now();
  const child = track(
    spawn(command, args, {
      cwd: dir,
      env: { PATH: process.env.PATH, HOST: '127.0.0.1', PORT: String(port), ...env },
      stdio: 'ignore',
    }),
  );
  try {
    for (;;) {
      if (await answers(port, request)) return performance.now() - start;
      if (child.exitCode !== null) throw new Error(`${entry} in ${dir} exited with ${child.exitCode}`);
      if (performance.now() - start > 15_000) throw new Error(`${entry} in ${dir} never answered`);
      await sleep(2);
    }
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
}

const cold = Object.fromEntries(Object.keys(variants).map((name) => [name, []]));
await coldStart(variants.bare); // first start of Node warms the page cache for every variant alike
for (let run = 0; run < COLD_RUNS; run++) {
  for (const [name, variant] of Object.entries(variants)) cold[name].push(await coldStart(variant));
}

const servers = {};
for (const [name, { dir, entry, env }] of Object.entries(variants))
  servers[name] = await boot(dir, entry, env);
const rss = Object.fromEntries(Object.keys(variants).map((name) => [name, [rssMb(servers[name].pid)]]));
for (let batch = 0; batch < BATCHES; batch++) {
  for (const [name, variant] of Object.entries(variants)) {
    await load(servers[name], variant.request, { connections: CONNECTIONS, amount: CALLS });
    rss[name].push(rssMb(servers[name].pid));
  }
}
// Still answering correctly after 150k calls.
for (const [name, variant] of Object.entries(variants)) {
  if (!(await answers(servers[name].port, variant.request))) throw new Error(`${name} stopped answering`);
}

const nodeVersion = execFileSync(SERVER_NODE, ['--version'], { encoding: 'utf8' }).trim();
console.log(
  `servers on Node ${nodeVersion}, pinned to one core; tools/call (2026-07-28), ${CONNECTIONS} connections`,
);
const cells = (values) => values.map((v) => v.padStart(8)).join('');
const batches = Array.from({ length: BATCHES }, (_, i) => `${((i + 1) * CALLS) / 1000}k`);
console.log(`${'RSS MB'.padEnd(18)}${cells(['idle', ...batches, 'growth', 'ratio'])}`);
for (const name of Object.keys(variants)) {
  const last = rss[name].at(-1);
  const growth = `${(last / rss[name][1]).toFixed(2)}x`;
  const ratio = `${(last / rss.bare.at(-1)).toFixed(2)}x`;
  console.log(`${name.padEnd(18)}${cells([...rss[name].map((x) => x.toFixed(1)), growth, ratio])}`);
}
console.log(`${'cold start ms'.padEnd(18)}${cells(['median', 'min', 'max', 'ratio'])}`);
for (const name of Object.keys(variants)) {
  const ms = cold[name];
  const ratio = `${(median(ms) / median(cold.bare)).toFixed(2)}x`;
  const values = [median(ms), Math.min(...ms), Math.max(...ms)].map((x) => x.toFixed(1));
  console.log(`${name.padEnd(18)}${cells([...values, ratio])}`);
}
console.log(
  `growth: RSS after the last batch over after the first; ratio: this variant over bare (last batch; median start, ${COLD_RUNS} runs).`,
);
process.exit(0);

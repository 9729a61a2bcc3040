// What tracing and metrics cost in throughput: one generated project built with --otel --metrics against the
// same answers without them, in the same run. Variants:
//   plain         --otel/--metrics off                     node dist/main.js
//   otel+metrics  started as `npm start` does (preload),   every request traced (the default sampler) and
//                 spans exported over OTLP/HTTP to a collector on loopback; /metrics enabled (METRICS_TOKEN)
//   otel 10%      the same, sampling 10% of traces (OTEL_TRACES_SAMPLER=parentbased_traceidratio, ARG=0.1): IDs
//                 still reach every log line and envelope, 1 request in 10 is recorded and exported
//   metrics       the same build with OTEL_SDK_DISABLED=true and no preload: what metrics alone cost
// Each server is pinned to CPU 0, autocannon (50 connections, the 2026-07-28 tools/call of a trivial tool) runs
// here on the other core; variants are interleaved in rounds (order rotated) so drift hits them all alike, and the
// median requests/s per variant is reported, and the median of its per-round ratios to plain (each ratio taken
// between runs seconds apart, so a neighbour's load burst on this shared machine skews one round, not the result).
// Also reported: the server's own CPU time per call (user + system, from /proc), which another process's load
// disturbs far less than throughput; for a server that is CPU-bound, plain's CPU/call over a variant's is the
// throughput ratio it would reach on a quiet machine. Servers run on the Dockerfile's Node (the shared harness:
// bench/server/harness.mjs, with its OTLP collector). Needs `npm run build` (npm run bench does it).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  boot,
  buildProject,
  load,
  median,
  SERVER_NODE,
  startCollector,
  toolCall,
} from './server/harness.mjs';

const ROUNDS = 5;
const SECONDS = 5;
const CONNECTIONS = 50;
const TOOL = 'convert_temperature_v1';
const PRELOAD = ['--import', './dist/features/otel/register.js'];
const request = toolCall(TOOL, { celsius: 21 });

/** Renders and builds one project (see buildProject for where its node_modules comes from). */
function project(name, extraFlags, modules) {
  const flags = [
    '--transport',
    'http',
    '--auth',
    'none',
    '--rate-limit',
    'none',
    '--no-docker',
    ...extraFlags,
  ];
  return buildProject(name, flags, modules);
}

const run = (server, seconds) => load(server, request, { connections: CONNECTIONS, seconds });

const collector = await startCollector();
const observedDir = project('observed', ['--otel', '--metrics']);
const plainDir = project('plain', [], join(observedDir, 'node_modules'));
const TOKEN = { METRICS_TOKEN: 'bench-metrics-token-0123456789' };
const OTEL = { ...TOKEN, OTEL_EXPORTER_OTLP_ENDPOINT: collector.url };
const WARN = { LOG_LEVEL: 'warn' };
const variants = {
  plain: await boot(plainDir, 'dist/main.js', WARN),
  'otel+metrics': await boot(observedDir, 'dist/main.js', { ...WARN, ...OTEL }, PRELOAD),
  'otel 10%': await boot(
    observedDir,
    'dist/main.js',
    { ...WARN, ...OTEL, OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' },
    PRELOAD,
  ),
  metrics: await boot(observedDir, 'dist/main.js', { ...WARN, ...TOKEN, OTEL_SDK_DISABLED: 'true' }),
};

const samples = Object.fromEntries(Object.keys(variants).map((name) => [name, []]));
// Warm-up: the first seconds under load are JIT and GC heap sizing, not steady state.
for (const server of Object.values(variants)) await run(server, 5);
const names = Object.keys(variants);
for (let round = 0; round < ROUNDS; round++) {
  // Rotate the order each round, so no variant always runs right after the same neighbour.
  for (let i = 0; i < names.length; i++) {
    const name = names[(round + i) % names.length];
    samples[name].push(await run(variants[name], SECONDS));
  }
}

// The metrics really were collected and the spans really were exported.
const scrape = await fetch(`http://127.0.0.1:${variants['otel+metrics'].port}/metrics`, {
  headers: { authorization: `Bearer ${TOKEN.METRICS_TOKEN}` },
}).then((r) => r.text());
const counted = Number(
  /mcp_tool_calls_total\{tool="convert_temperature_v1",outcome="ok"\} (\d+)/.exec(scrape)?.[1] ?? 0,
);
await sleep(6000); // one more batch interval, so the last spans reach the collector
if (counted === 0 || collector.stats.exports === 0)
  throw new Error('metrics were not counted or spans not exported');

const nodeVersion = execFileSync(SERVER_NODE, ['--version'], { encoding: 'utf8' }).trim();
console.log(`servers on Node ${nodeVersion} (BENCH_NODE=<path> for another)`);
console.log(
  `tool-call throughput, ${CONNECTIONS} connections, server pinned to one core, ${ROUNDS} x ${SECONDS} s rounds`,
);
console.log(
  'variant          req/s   p50 ms  p99 ms  CPU/call   ratio to plain: req/s (per round)  CPU/call',
);
const baseCpu = median(samples.plain.map((s) => s.cpuUsPerCall));
for (const [name, list] of Object.entries(samples)) {
  const rps = median(list.map((s) => s.rps));
  const p50 = median(list.map((s) => s.p50));
  const p99 = median(list.map((s) => s.p99));
  const cpu = median(list.map((s) => s.cpuUsPerCall));
  const ratios = list.map((s, round) => s.rps / samples.plain[round].rps);
  const ratio =
    name === 'plain'
      ? '(baseline)'
      : `${median(ratios).toFixed(2)}x [${ratios.map((r) => r.toFixed(2)).join(' ')}]  ${(baseCpu / cpu).toFixed(2)}x`;
  console.log(
    `${name.padEnd(14)} ${rps.toFixed(0).padStart(7)} ${String(p50).padStart(8)} ${String(p99).padStart(7)} ` +
      `${`${cpu.toFixed(0)} µs`.padStart(9)}   ${ratio}`,
  );
}
console.log(
  `otel+metrics server counted ${counted} calls and exported ${collector.stats.exports} OTLP batches ` +
    `(${(collector.stats.bytes / 1e6).toFixed(1)} MB)`,
);
process.exit(0);

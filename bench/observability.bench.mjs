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
// throughput ratio it would reach on a quiet machine. Needs `npm run build` (npm run bench does it).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import { buildProject, freePort, track } from './server/harness.mjs';

const ROUNDS = 5;
const SECONDS = 5;
const CONNECTIONS = 50;
const TOOL = 'convert_temperature_v1';
const PRELOAD = './dist/features/otel/register.js';

/** Renders and builds one project (see buildProject for where its node_modules comes from). */
function project(name, extraFlags) {
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
  return buildProject(name, flags);
}

/** An OTLP/HTTP endpoint that reads and acknowledges every export, counting spans. */
async function startCollector() {
  const stats = { exports: 0, bytes: 0 };
  const server = createServer(async (req, res) => {
    for await (const chunk of req) stats.bytes += chunk.length;
    stats.exports++;
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, stats };
}

/** CPU milliseconds (user + system) a process has used, from /proc (Linux; 0 elsewhere). */
function cpuMs(pid) {
  const path = `/proc/${pid}/stat`;
  if (!existsSync(path)) return 0;
  const fields = readFileSync(path, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // USER_HZ is 100 on Linux
}

async function boot(dir, nodeArgs, env) {
  const port = await freePort();
  const pin = existsSync('/usr/bin/taskset') ? ['taskset', '-c', '0'] : [];
  const [command, ...args] = [...pin, process.execPath, ...nodeArgs, 'dist/main.js'];
  const child = spawn(command, args, {
    cwd: dir,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  track(child);
  const healthy = () =>
    fetch(`http://127.0.0.1:${port}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
  for (let i = 0; i < 150; i++) {
    // taskset execs node in place, so the pid is the server's own.
    if (await healthy()) return { port, pid: child.pid };
    await sleep(100);
  }
  throw new Error(`server in ${dir} did not become healthy`);
}

const body = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'tools/call',
  params: {
    name: TOOL,
    arguments: { celsius: 21 },
    _meta: {
      'io.modelcontextprotocol/protocolVersion': '2026-07-28',
      'io.modelcontextprotocol/clientCapabilities': {},
    },
  },
});
const headers = {
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
  'mcp-protocol-version': '2026-07-28',
  'mcp-method': 'tools/call',
  'mcp-name': TOOL,
};

async function load({ port, pid }, seconds) {
  const cpuBefore = cpuMs(pid);
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/mcp`,
    method: 'POST',
    headers,
    body,
    connections: CONNECTIONS,
    duration: seconds,
  });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${result.non2xx} non-2xx, ${result.errors} errors`);
  const cpuPerCallUs = ((cpuMs(pid) - cpuBefore) * 1000) / result.requests.total;
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, cpuPerCallUs };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const collector = await startCollector();
const plainDir = project('plain', []);
const observedDir = project('observed', ['--otel', '--metrics']);
const TOKEN = { METRICS_TOKEN: 'bench-metrics-token-0123456789' };
const OTEL = { ...TOKEN, OTEL_EXPORTER_OTLP_ENDPOINT: collector.url };
const variants = {
  plain: await boot(plainDir, [], {}),
  'otel+metrics': await boot(observedDir, ['--import', PRELOAD], OTEL),
  'otel 10%': await boot(observedDir, ['--import', PRELOAD], {
    ...OTEL,
    OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
    OTEL_TRACES_SAMPLER_ARG: '0.1',
  }),
  metrics: await boot(observedDir, [], { ...TOKEN, OTEL_SDK_DISABLED: 'true' }),
};

const samples = Object.fromEntries(Object.keys(variants).map((name) => [name, []]));
// Warm-up: the first seconds under load are JIT and GC heap sizing, not steady state.
for (const server of Object.values(variants)) await load(server, 5);
const names = Object.keys(variants);
for (let round = 0; round < ROUNDS; round++) {
  // Rotate the order each round, so no variant always runs right after the same neighbour.
  for (let i = 0; i < names.length; i++) {
    const name = names[(round + i) % names.length];
    samples[name].push(await load(variants[name], SECONDS));
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

console.log(
  `tool-call throughput, ${CONNECTIONS} connections, server pinned to one core, ${ROUNDS} x ${SECONDS} s rounds`,
);
console.log(
  'variant          req/s   p50 ms  p99 ms  CPU/call   ratio to plain: req/s (per round)  CPU/call',
);
const baseCpu = median(samples.plain.map((s) => s.cpuPerCallUs));
for (const [name, list] of Object.entries(samples)) {
  const rps = median(list.map((s) => s.rps));
  const p50 = median(list.map((s) => s.p50));
  const p99 = median(list.map((s) => s.p99));
  const cpu = median(list.map((s) => s.cpuPerCallUs));
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

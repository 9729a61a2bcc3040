// The production configurations against the bare SDK v2 server, in the same run (issue 15's targets, ratio to
// bare): everything on with Redis >= 0.85x, otel sampling every trace >= 0.90x, 25 tools >= 0.95x.
//   bare, 25 tools   bare-server.mjs with TOOLS=25: a hand-written server with the same catalogue
//   everything on    --auth api-key --rate-limit redis --otel --metrics: a real key on every call, limits in a
//                    real redis-server (out of reach, so every check runs), info logs, /metrics, every trace
//                    sampled and exported over OTLP/HTTP to a collector on loopback, started as `npm start`
//                    does with the otel preload
//   otel 100%        --auth none --rate-limit none --otel: tracing alone, every trace sampled and exported
//   otel 10%         the same, OTEL_TRACES_SAMPLER=parentbased_traceidratio with ARG=0.1
//   25 tools         --auth none --rate-limit none with copies of convert_temperature_v2 added to the built
//                    catalogue (dist/tools/index.js): the per-request factory cost must not grow with the tools
// Same method as server.bench.mjs (interleaved rounds, medians, CPU time per call as the robust ratio).
// Needs redis-server on PATH and `npm run build` (npm run bench does it). About 3 minutes.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  boot,
  buildProject,
  load,
  printRatios,
  ROOT,
  SERVER_NODE,
  startCollector,
  startRedis,
  toolCall,
  UNREACHABLE_LIMITS,
} from './server/harness.mjs';

const ROUNDS = 4;
const SECONDS = 4;
const CONNECTIONS = 50;
const PRELOAD = ['--import', './dist/features/otel/register.js'];
const call = toolCall('convert_temperature_v2', { value: 21, from: 'celsius', to: 'fahrenheit' });
const API_KEY = 'bench-key-0123456789abcdef';
const keyed = { ...call, headers: { ...call.headers, authorization: `Bearer ${API_KEY}` } };
const TOKEN = 'bench-metrics-token-0123456789';

const bareFlags = ['--transport', 'http', '--auth', 'none', '--rate-limit', 'none', '--no-docker'];
const everything = buildProject('everything', [
  ...['--transport', 'http', '--auth', 'api-key', '--rate-limit', 'redis', '--otel', '--metrics'],
  '--no-docker',
]);
const traced = buildProject('otel', [...bareFlags, '--otel'], join(everything, 'node_modules'));
const wide = buildProject('wide', bareFlags, join(everything, 'node_modules'));
copyFileSync(join(ROOT, 'bench/server/bare-server.mjs'), join(everything, 'bare-server.mjs'));
// Copies of the measured tool under other names up to 25 tools in all, however many the template ships.
appendFileSync(
  join(wide, 'dist/tools/index.js'),
  `\nfor (let i = 1; tools.length < 25; i++) tools.push({ ...convertTemperatureV2, name: \`convert_temperature_copy\${i}\` });\n`,
);

const collector = await startCollector();
const redisUrl = await startRedis();
const OTEL = { OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, LOG_LEVEL: 'info' };
const variants = {
  bare: await boot(everything, 'bare-server.mjs', {}),
  'bare, 25 tools': await boot(everything, 'bare-server.mjs', { TOOLS: '25' }),
  'everything on': await boot(
    everything,
    'dist/main.js',
    {
      ...OTEL,
      ...UNREACHABLE_LIMITS,
      REDIS_URL: redisUrl,
      METRICS_TOKEN: TOKEN,
      API_KEYS: `bench:${createHash('sha256').update(API_KEY).digest('hex')}`,
    },
    PRELOAD,
  ),
  'otel 100%': await boot(traced, 'dist/main.js', OTEL, PRELOAD),
  'otel 10%': await boot(
    traced,
    'dist/main.js',
    { ...OTEL, OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' },
    PRELOAD,
  ),
  '25 tools': await boot(wide, 'dist/main.js', { LOG_LEVEL: 'info' }),
};
const requestFor = (name) => (name === 'everything on' ? keyed : call);

async function check(name) {
  const { port } = variants[name];
  const answer = await fetch(`http://127.0.0.1:${port}/mcp`, requestFor(name)).then((r) => r.json());
  if (answer.result?.structuredContent?.value !== 69.8)
    throw new Error(`${name} answered ${JSON.stringify(answer)}`);
}
// Every server answers correctly before its speed means anything; the 25-tool ones really list 25 tools.
for (const name of Object.keys(variants)) await check(name);
for (const name of ['bare, 25 tools', '25 tools']) {
  const list = toolCall('x', {});
  const body = JSON.parse(list.body);
  body.method = 'tools/list';
  body.params = { _meta: body.params._meta };
  const headers = { ...list.headers, 'mcp-method': 'tools/list' };
  delete headers['mcp-name'];
  const listed = await fetch(`http://127.0.0.1:${variants[name].port}/mcp`, {
    method: 'POST',
    headers,
    body: JSON.stringify(body),
  }).then((r) => r.json());
  if (listed.result?.tools?.length !== 25)
    throw new Error(`${name} lists ${listed.result?.tools?.length} tools`);
}

const samples = Object.fromEntries(Object.keys(variants).map((name) => [name, []]));
for (const [name, server] of Object.entries(variants))
  await load(server, requestFor(name), { connections: CONNECTIONS, seconds: 2 });
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, server] of Object.entries(variants)) {
    samples[name].push(await load(server, requestFor(name), { connections: CONNECTIONS, seconds: SECONDS }));
  }
}
// Still answering (not refused by a limit) after the load; and the spans were really exported.
for (const name of Object.keys(variants)) await check(name);
await sleep(6000); // one more batch interval, so the last spans reach the collector
if (collector.stats.exports === 0) throw new Error('no spans were exported');

const nodeVersion = execFileSync(SERVER_NODE, ['--version'], { encoding: 'utf8' }).trim();
console.log(`servers on Node ${nodeVersion} (BENCH_NODE=<path> for another)`);
console.log(
  `tools/call (2026-07-28), ${CONNECTIONS} connections, server pinned to one core, ${ROUNDS} x ${SECONDS} s`,
);
printRatios(samples, 'call');
console.log(
  `collector received ${collector.stats.exports} OTLP exports (${(collector.stats.bytes / 1e6).toFixed(1)} MB)`,
);
process.exit(0);

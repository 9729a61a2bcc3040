// What the rate limiter adds to a tool call: memory and Redis backends against no limiter, in the same run.
// Three generated projects (--rate-limit none|memory|redis, otherwise identical) are built; each call is timed
// (1) in process, through the project's real Pipeline and limiter middleware (no HTTP, no SDK: the limiter's
//     own cost), and (2) over HTTP against the booted server (keep-alive, one call at a time: what a client sees).
// Every limit layer is on (per-tool limit, run budget, caller ceiling: three store hits per call) and none
// refuses, so this is the cost of the common, allowed path. Backends take turns call by call, so drift hits them all alike.
// Needs redis-server on PATH and `npm run build` (npm run bench does it).
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { boot, buildProject, startRedis, UNREACHABLE_LIMITS } from './server/harness.mjs';

const BACKENDS = ['none', 'memory', 'redis'];
const WARM_UP = 500; // calls per backend before timing starts
const IN_PROCESS_CALLS = 20_000; // timed calls per backend
const HTTP_CALLS = 3000;
// Out of reach, so every check runs and none refuses; the edge limit is off (HTTP only, not a tool-call cost).
const LIMITS = { ...UNREACHABLE_LIMITS, EDGE_RATE_LIMIT_PER_MINUTE: '0' };
const TOOL = 'convert_temperature_v2';
const ARGS = { value: 100, from: 'celsius', to: 'fahrenheit' };

/** Renders and builds one project; `modules` is a sibling project's node_modules to share (see buildProject). */
function project(backend, modules) {
  const flags = ['--transport', 'http', '--auth', 'none', '--rate-limit', backend, '--no-docker'];
  return buildProject(backend, flags, modules);
}

/** The project's own Pipeline with the backend's own feature module, as app.ts composes them. */
async function inProcessCaller(dir, redisUrl) {
  const load = (path) => import(pathToFileURL(join(dir, 'dist', path)).href);
  const [
    { Pipeline },
    { baseEnv },
    { AppEventBus },
    { createLogger },
    { tools },
    { features },
    { toolSpec },
  ] = await Promise.all(
    [
      'core/pipeline.js',
      'config.js',
      'core/events.js',
      'core/logger.js',
      'tools/index.js',
      'features.generated.js',
      'core/tool-operation.js',
    ].map(load),
  );
  const config = baseEnv.parse({});
  const app = {
    config,
    logger: createLogger({ name: 'bench', level: 'silent', destination: 'stdout' }),
    events: new AppEventBus(),
    tools,
    resources: [],
    prompts: [],
  };
  const limiter = features.find((feature) => feature.id.startsWith('rate-limit'));
  const runtime = limiter
    ? await limiter.setup(limiter.env.parse({ ...LIMITS, REDIS_URL: redisUrl }), app)
    : {};
  const pipeline = new Pipeline({ ...app, middleware: runtime.middleware ?? [] });
  const tool = tools.find((t) => `${t.name}_v${t.version}` === TOOL);
  const spec = toolSpec(tool, config, app.logger);
  return async () => {
    const outcome = await pipeline.run(spec, ARGS, { signal: new AbortController().signal });
    if (!outcome.ok) throw new Error(`call failed: ${JSON.stringify(outcome.error)}`);
  };
}

async function httpCaller(dir, redisUrl) {
  const { port } = await boot(dir, 'dist/main.js', { ...LIMITS, LOG_LEVEL: 'warn', REDIS_URL: redisUrl });
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const body = JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    method: 'tools/call',
    params: {
      name: TOOL,
      arguments: ARGS,
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
  return () =>
    new Promise((resolve, reject) => {
      const req = request(`http://127.0.0.1:${port}/mcp`, { method: 'POST', agent, headers }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          text += chunk;
        });
        res.on('end', () =>
          res.statusCode === 200 && !text.includes('"isError":true') ? resolve() : reject(new Error(text)),
        );
      });
      req.on('error', reject);
      req.end(body);
    });
}

const percentile = (xs, p) => xs[Math.min(xs.length - 1, Math.floor(p * xs.length))];

/** One call of each backend in turn, `calls` times: load from elsewhere on the machine hits all alike. */
async function measure(callers, calls) {
  const samples = Object.fromEntries(BACKENDS.map((b) => [b, []]));
  for (let i = 0; i < calls + WARM_UP; i++) {
    for (const backend of BACKENDS) {
      const start = process.hrtime.bigint();
      await callers[backend]();
      if (i >= WARM_UP) samples[backend].push(Number(process.hrtime.bigint() - start) / 1e6);
    }
  }
  return Object.fromEntries(
    BACKENDS.map((b) => {
      const sorted = samples[b].sort((x, y) => x - y);
      return [b, { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), n: sorted.length }];
    }),
  );
}

const redisUrl = await startRedis();
const dirs = { redis: project('redis') };
for (const b of ['none', 'memory']) dirs[b] = project(b, join(dirs.redis, 'node_modules'));
const inProcess = await measure(
  Object.fromEntries(
    await Promise.all(BACKENDS.map(async (b) => [b, await inProcessCaller(dirs[b], redisUrl)])),
  ),
  IN_PROCESS_CALLS,
);
const overHttp = await measure(
  Object.fromEntries(await Promise.all(BACKENDS.map(async (b) => [b, await httpCaller(dirs[b], redisUrl)]))),
  HTTP_CALLS,
);

const us = (ms) => `${(ms * 1000).toFixed(0)} µs`.padStart(9);
const plus = (ms) => `${ms >= 0 ? '+' : '-'}${Math.abs(ms * 1000).toFixed(0)} µs`.padStart(10);
function report(title, results) {
  console.log(`\n${title} (n=${results.none.n} per backend)`);
  console.log('backend        p50       p99   added p50  added p99');
  for (const b of BACKENDS) {
    const { p50, p99 } = results[b];
    const added =
      b === 'none' ? '  (baseline)' : `${plus(p50 - results.none.p50)} ${plus(p99 - results.none.p99)}`;
    console.log(`${b.padEnd(8)} ${us(p50)} ${us(p99)} ${added}`);
  }
}
console.log(
  'rate limiter: added latency per tool call, every layer on (three store hits per call), allowed path',
);
report('in process: Pipeline + limiter middleware, one call at a time', inProcess);
report('over HTTP: booted server, keep-alive, one call at a time', overHttp);
process.exit(0);

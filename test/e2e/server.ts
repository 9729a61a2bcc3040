import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { ensureNode24, envFor, type NodeVersion } from './node.js';

export interface RunningServer {
  /** http://127.0.0.1:<port>/ — resolve paths against it: `new URL('/mcp', server.url)`. */
  url: URL;
  port: number;
  process: ChildProcess;
  /** Everything the server printed so far (stdout and stderr interleaved). */
  output(): string;
  /** SIGTERM, then waits for the exit (SIGKILL after 10 s); resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** A port nobody is listening on right now (the OS picks; we release it for the server to take). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (typeof address !== 'object' || address === null) throw new Error('no port from the OS');
  return address.port;
}

/**
 * Starts `node dist/main.js` of a built project on a free port (env PORT, HOST=127.0.0.1) and waits until
 * `/healthz` answers 200. Fails with the server's output if it exits or is not healthy within `timeoutMs`.
 */
export async function bootServer(
  dir: string,
  env: Record<string, string> = {},
  options: { node?: NodeVersion; timeoutMs?: number; args?: string[] } = {},
): Promise<RunningServer> {
  const node = options.node ?? 20;
  if (node === 24) await ensureNode24();
  const port = await freePort();
  const child = spawn('node', ['dist/main.js', ...(options.args ?? [])], {
    cwd: dir,
    env: envFor(node, { HOST: '127.0.0.1', PORT: String(port), ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const url = new URL(`http://127.0.0.1:${port}/`);

  const stop = async (): Promise<number | null> => {
    if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    const code = await exited;
    clearTimeout(timer);
    return code;
  };

  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    const healthy = await fetch(new URL('/healthz', url))
      .then((res) => res.status === 200)
      .catch(() => false);
    if (healthy) return { url, port, process: child, output: () => output, stop };
    await sleep(100);
  }
  await stop();
  throw new Error(`node dist/main.js in ${dir} did not become healthy on port ${port}:\n${output}`);
}

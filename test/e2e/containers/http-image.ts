import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { expect } from 'vitest';
import { type Container, megabytes, podman, waitFor } from './podman.js';

/** How the README runs an image: read-only root, no capabilities, no privileges to gain. */
export const HARDENED = ['--read-only', '--cap-drop', 'ALL', '--security-opt', 'no-new-privileges'];

/**
 * What every HTTP image must show once it runs (issue 16): the image's own user (uid 1000) as PID 1 on a
 * read-only root, no dev dependencies shipped, /healthz answering, the HEALTHCHECK passing, and a real MCP
 * client call going through. Returns the tool result so a case can assert more.
 */
export async function expectServing(
  container: Container,
  url: URL,
  headers: Record<string, string> = {},
): Promise<void> {
  await waitFor(
    `${container.name} answering /healthz`,
    async () => (await fetch(new URL('/healthz', url))).status === 200,
    () => container.logs(),
  );
  // The HEALTHCHECK survived the build (docker format) and passes against the running server.
  const config = await podman(['inspect', '--format', '{{json .Config.Healthcheck.Test}}', container.name]);
  expect(JSON.parse(config.stdout)).toEqual(['CMD', 'node', 'dist/healthcheck.js']);
  expect(await container.healthy(), await container.logs()).toBe(true);
  // … and it is a real check: pointed at a port nobody serves, the same command fails.
  expect((await container.exec(['env', 'PORT=1', 'node', 'dist/healthcheck.js'])).exitCode).not.toBe(0);

  // PID 1 is node, as uid/gid 1000 (the image's USER, not a --user flag), on a read-only root.
  const status = await container.exec(['cat', '/proc/1/status']);
  expect(status.output).toMatch(/^Uid:\s+1000\s+1000\s+1000\s+1000$/m);
  expect(status.output).toMatch(/^Gid:\s+1000\s+1000\s+1000\s+1000$/m);
  expect((await container.exec(['cat', '/proc/1/cmdline'])).output.split('\0')[0]).toBe('node');
  const write = await container.exec(['sh', '-c', 'touch /app/x || touch /x']);
  expect(write.exitCode).not.toBe(0);
  expect(write.output).toMatch(/Read-only file system/);
  // Production dependencies only: the compiler stayed in the build stage.
  expect((await container.exec(['ls', 'node_modules/typescript'])).exitCode).not.toBe(0);

  const client = new Client({ name: 'e2e-container', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL('/mcp', url), { requestInit: { headers } }));
  const result = await client.callTool({
    name: 'convert_temperature_v2',
    arguments: { value: 100, from: 'celsius', to: 'fahrenheit' },
  });
  await client.close();
  expect(result.isError ?? false, JSON.stringify(result)).toBe(false);
  expect(JSON.stringify(result.structuredContent)).toContain('212');
}

/** `docker stop -t 30`: SIGTERM, the drain the server logs, exit 0 well inside the stop timeout. */
export async function expectCleanStop(container: Container, timeout = 30): Promise<number> {
  const { exitCode, seconds } = await container.stop(timeout);
  const logs = await container.logs();
  expect(exitCode, logs).toBe(0);
  expect(seconds).toBeLessThan(timeout);
  expect(logs).toContain('shutting down: readiness now fails; in-flight calls drain');
  expect(logs).toContain('"msg":"stopped"');
  return seconds;
}

/** One line per image for the CI log and the report. */
export function report(
  name: string,
  image: { tag: string; size: number; buildSeconds: number },
  base: number,
) {
  console.log(
    `[image] ${name}: ${megabytes(image.size)} MB (${megabytes(image.size - base)} MB over the base), built in ${image.buildSeconds} s`,
  );
}

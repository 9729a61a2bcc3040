import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { type AddressInfo, createServer } from 'node:net';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { connectClient } from '../helpers/http-server.js';
import { BUILT_ENTRY, FIXTURE_ENTRY, type ServerProcess, spawnServer } from '../helpers/process.js';
import { envelopeOf } from '../helpers/results.js';

const run = promisify(execFile);
let server: ServerProcess | undefined;
afterEach(() => {
  server?.child.kill('SIGKILL');
  server = undefined;
});

async function start(entry: readonly string[], env: Record<string, string> = {}) {
  server = spawnServer(entry, { PORT: '0', ...env });
  const ready = await server.waitForLog('the "ready" line', (line) => line.msg === 'ready');
  return { server, url: new URL(String(ready.url)) };
}

describe('the server process', () => {
  it('exits 1 on bad configuration, one line per bad variable', async () => {
    const bad = spawnServer(BUILT_ENTRY, { PORT: 'eighty', HOST: '0.0.0.0' });
    expect(await bad.exited).toBe(1);
    expect(bad.stderr()).toContain('PORT: expected a TCP port (0-65535), got "eighty"');
    const exposed = spawnServer(BUILT_ENTRY, { HOST: '0.0.0.0', PORT: '0' });
    expect(await exposed.exited).toBe(1);
    expect(exposed.stderr()).toContain('ALLOWED_HOSTS: required when HOST=0.0.0.0');
  });

  it('exits 1 with one line naming the port when it is taken, not a stack trace', async () => {
    const taken = createServer().listen(0, '127.0.0.1');
    await once(taken, 'listening');
    const { port } = taken.address() as AddressInfo;
    try {
      const busy = spawnServer(FIXTURE_ENTRY, { PORT: String(port) });
      expect(await busy.exited).toBe(1);
      expect(busy.stderr().trim()).toBe(
        `PORT: ${port} is already in use on 127.0.0.1 by another process: stop that process, or set PORT to a free port`,
      );
    } finally {
      taken.close();
    }
  });

  it('passes `node dist/healthcheck.js` while up, fails it once down', async () => {
    const { url } = await start(FIXTURE_ENTRY);
    const env = { PATH: process.env.PATH ?? '', PORT: url.port };
    await expect(run(process.execPath, ['dist/healthcheck.js'], { env })).resolves.toBeDefined();
    server?.child.kill('SIGTERM');
    await server?.exited;
    await expect(run(process.execPath, ['dist/healthcheck.js'], { env })).rejects.toMatchObject({ code: 1 });
  });

  it('on SIGTERM: readiness fails first, the in-flight call completes, then it exits 0', async () => {
    const { url, server: proc } = await start(FIXTURE_ENTRY, { SHUTDOWN_DELAY_MS: '400' });
    const client = await connectClient(url);
    const call = client.callTool({ name: 'slow_v1', arguments: { ms: 1_000 } });
    await new Promise((resolve) => setTimeout(resolve, 200));
    proc.child.kill('SIGTERM');
    await proc.waitForLog('the "shutting down" line', (line) => String(line.msg).startsWith('shutting down'));
    const ready = await fetch(new URL('/readyz', url));
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({
      error: 'UNAVAILABLE',
      message: expect.stringContaining('draining'),
    });
    expect((await call).structuredContent).toEqual({ waitedMs: 1_000 });
    expect(await proc.exited).toBe(0);
  });

  it('aborts calls still running after DRAIN_TIMEOUT_MS with a retryable UNAVAILABLE, and still exits 0', async () => {
    const { url, server: proc } = await start(FIXTURE_ENTRY, { DRAIN_TIMEOUT_MS: '300' });
    const client = await connectClient(url);
    const call = client.callTool({ name: 'slow_v1', arguments: { ms: 5_000 } });
    await new Promise((resolve) => setTimeout(resolve, 200));
    proc.child.kill('SIGTERM');
    expect(envelopeOf(await call)).toMatchObject({ error: 'UNAVAILABLE', retryable: true });
    expect(await proc.exited).toBe(0);
  });
});

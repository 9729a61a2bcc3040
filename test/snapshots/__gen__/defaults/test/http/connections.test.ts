import { once } from 'node:events';
import { Agent, request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpServer, type TestServer } from '../helpers/http-server.js';

/** Short deadlines and a small per-peer cap, so each case takes well under a second. */
const PER_PEER = 5;
let server: TestServer;
const sockets: Socket[] = [];
beforeAll(async () => {
  server = await startHttpServer(
    {
      MAX_CONNECTIONS_PER_IP: String(PER_PEER),
      HEADERS_TIMEOUT_MS: '300',
      REQUEST_TIMEOUT_MS: '600',
      KEEP_ALIVE_TIMEOUT_MS: '5000',
    },
    { coreOnly: true },
  );
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await server.stop();
});

async function open(): Promise<Socket> {
  const socket = connect(Number(server.url.port), server.url.hostname);
  sockets.push(socket);
  socket.on('error', () => {});
  await once(socket, 'connect');
  return socket;
}

/** Resolves true when the server closes the socket within `ms`, false if it is still open then. */
async function closedWithin(socket: Socket, ms: number): Promise<boolean> {
  if (socket.closed) return true;
  const closed = once(socket, 'close').then(() => true);
  return Promise.race([closed, sleep(ms).then(() => false)]);
}

describe('what one peer can hold', () => {
  it('closes sockets beyond MAX_CONNECTIONS_PER_IP at once, and takes new ones when a slot frees', async () => {
    const held = await Promise.all(Array.from({ length: PER_PEER }, open));
    const extra = await open();
    expect(await closedWithin(extra, 1_000)).toBe(true);
    expect(server.logs.some((line) => /connections refused/.test(String(line.msg)))).toBe(true);

    held[0]?.destroy();
    await sleep(50);
    const replacement = await open();
    expect(await closedWithin(replacement, 100)).toBe(false);
    for (const socket of [...held, replacement]) socket.destroy();
  });

  it('closes a socket that never sends its headers after HEADERS_TIMEOUT_MS', async () => {
    const silent = await open();
    expect(await closedWithin(silent, 3_000)).toBe(true);
  });

  it('answers 408 to a body trickled past REQUEST_TIMEOUT_MS', async () => {
    const slow = await open();
    let answer = '';
    slow.on('data', (chunk: Buffer) => {
      answer += chunk.toString();
    });
    slow.write(
      `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n`,
    );
    for (let i = 0; i < 30 && !slow.closed; i++) {
      slow.write('{');
      await sleep(100);
    }
    expect(await closedWithin(slow, 1_000)).toBe(true);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });

  it('keeps an idle keep-alive connection open past the header deadline', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const get = () =>
      new Promise<Socket>((resolve, reject) => {
        const req = request(new URL('/healthz', server.url), { agent }, (res) => {
          res.resume();
          res.on('end', () => resolve(req.socket as Socket));
        });
        req.on('error', reject);
        req.end();
      });
    const first = await get();
    await sleep(800);
    const second = await get();
    expect(second).toBe(first);
    agent.destroy();
  });
});

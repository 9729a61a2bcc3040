import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import type { AppEventBus } from '../../core/events.js';
import { peerOf } from '../../core/peer.js';
import { SampledLog } from '../../core/sampled-log.js';
import type { HttpConfig } from './index.js';

/** Descriptors kept free beyond client sockets: Redis, upstream APIs, files, the collector. */
const DESCRIPTOR_HEADROOM = 256;

/**
 * What one peer, and everyone together, can hold open. Without these, one client with ~1,000 idle sockets
 * exhausts the process's file descriptors and nothing answers, /healthz included. A peer over
 * `MAX_CONNECTIONS_PER_IP` (IPv6 counted per /64) has its new sockets closed at once; past `MAX_CONNECTIONS`
 * Node drops new sockets. Slow senders are cut by the header and request deadlines (see `serverTimeouts`).
 */
export function limitConnections(server: Server, config: HttpConfig, logger: Logger, events: AppEventBus) {
  server.maxConnections = connectionCeiling(config.MAX_CONNECTIONS, logger);
  // Above the 60 s idle timeout of common load balancers, so they never reuse a socket we just closed.
  server.keepAliveTimeout = config.KEEP_ALIVE_TIMEOUT_MS;
  const refusals = new SampledLog(
    logger,
    'connections refused: a peer is over MAX_CONNECTIONS_PER_IP or the server is at MAX_CONNECTIONS',
  );
  server.on('drop', (data?: { remoteAddress?: string }) => {
    events.emit('connection.refused', { reason: 'total' });
    refusals.note('total', { peer: peerOf(data?.remoteAddress) });
  });
  if (config.MAX_CONNECTIONS_PER_IP === 0) return;

  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const peer = peerOf(socket.remoteAddress);
    if (peer === undefined) return;
    const count = (open.get(peer) ?? 0) + 1;
    if (count > config.MAX_CONNECTIONS_PER_IP) {
      socket.destroy();
      events.emit('connection.refused', { reason: 'per-peer' });
      refusals.note('per-peer', { peer });
      return;
    }
    // The map holds only peers with an open socket, so it is bounded by MAX_CONNECTIONS.
    open.set(peer, count);
    socket.once('close', () => {
      const left = (open.get(peer) ?? 1) - 1;
      if (left === 0) open.delete(peer);
      else open.set(peer, left);
    });
  });
}

/**
 * Node's deadlines for one exchange. The header deadline also closes a socket that connects and never
 * speaks; the request deadline bounds how long a trickled body can hold a request (it stops counting once the
 * request is read, so long tool calls and streams are not affected); Node checks both on an interval, which
 * must be finer than the deadlines for them to mean what they say.
 */
export function serverTimeouts(config: HttpConfig) {
  return {
    headersTimeout: config.HEADERS_TIMEOUT_MS,
    requestTimeout: config.REQUEST_TIMEOUT_MS,
    connectionsCheckingInterval: Math.min(1_000, Math.max(50, Math.floor(config.HEADERS_TIMEOUT_MS / 4))),
  };
}

/** MAX_CONNECTIONS, lowered when the process may not open that many descriptors plus headroom. */
function connectionCeiling(wanted: number, logger: Logger): number {
  const limit = openFileLimit();
  if (limit === undefined || wanted + DESCRIPTOR_HEADROOM <= limit) return wanted;
  const ceiling = Math.max(1, limit - DESCRIPTOR_HEADROOM);
  logger.warn(
    { MAX_CONNECTIONS: wanted, openFileLimit: limit, using: ceiling },
    'MAX_CONNECTIONS is above what the open-file limit allows; raise LimitNOFILE / ulimit -n or lower MAX_CONNECTIONS',
  );
  return ceiling;
}

/** The soft limit on open files (Linux; Node raises it to the hard limit at startup), else undefined. */
function openFileLimit(): number | undefined {
  try {
    const line = /^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    return line?.[1] === undefined ? undefined : Number(line[1]);
  } catch {
    return undefined;
  }
}

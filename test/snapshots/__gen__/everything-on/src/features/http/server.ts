import { once } from 'node:events';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpHandler } from '@modelcontextprotocol/server';
import { StartupError } from '../../config.js';
import type { App, ServerParts } from '../../core/feature.js';
import { limitConnections, serverTimeouts } from './connections.js';
import type { HttpConfig } from './index.js';
import { createPipeline } from './pipeline.js';

/** After the drain, how long finished responses get to flush before the remaining sockets are cut. */
const FLUSH_MS = 1_000;

/** Why the port could not be opened, as one line naming the variable to change (printed without a stack). */
function listenError(error: unknown, config: HttpConfig): StartupError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') {
    return new StartupError(
      `PORT: ${config.PORT} is already in use on ${config.HOST} by another process: stop that process, or set PORT to a free port`,
    );
  }
  if (code === 'EACCES') {
    return new StartupError(
      `PORT: ${config.PORT} needs privileges this process lacks: use a port above 1023`,
    );
  }
  if (code === 'EADDRNOTAVAIL') {
    return new StartupError(
      `HOST: ${config.HOST} is not an address of this machine: use 127.0.0.1, 0.0.0.0 or one of its own addresses`,
    );
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new StartupError(`Cannot listen on ${config.HOST}:${config.PORT} (${reason}); check HOST and PORT`);
}

/**
 * node:http with the SDK's handler: no framework on the hot path (a router costs ~16 % throughput). Each
 * request gets a fresh McpServer from the factory, which the stateless protocol needs and which keeps one
 * client's data out of another's.
 */
export async function startHttpServer(config: HttpConfig, app: App, parts: ServerParts) {
  const onerror = (err: Error) => app.logger.info({ err }, 'MCP request rejected or failed in the SDK');
  const handler = createMcpHandler(parts.createMcpServer, {
    legacy: 'stateless',
    maxRequestBodySize: config.MAX_BODY_BYTES,
    onerror,
  });
  // 2026-07-28 clients on a `subscriptions/listen` stream hear when a version leaves a list at its sunset.
  parts.listChanges.on((list) =>
    list === 'tools' ? handler.notify.toolsChanged() : handler.notify.promptsChanged(),
  );
  let accepting = true;
  const server = createServer(
    serverTimeouts(config),
    createPipeline({
      config,
      app,
      parts,
      mcp: toNodeHandler(handler, { maxRequestBodySize: config.MAX_BODY_BYTES, onerror }),
      accepting: () => accepting,
    }),
  );
  limitConnections(server, config, app.logger, app.events);

  server.listen(config.PORT, config.HOST);
  try {
    await once(server, 'listening');
  } catch (error) {
    throw listenError(error, config);
  }
  // Open requests, so shutdown can wait until every answer is written, not just computed.
  let open = 0;
  let allAnswered = () => {};
  server.on('request', (_req, res: ServerResponse) => {
    open += 1;
    res.once('close', () => {
      open -= 1;
      if (open === 0) allAnswered();
    });
  });
  const { address, port } = server.address() as AddressInfo;
  const url = new URL(`http://${address.includes(':') ? `[${address}]` : address}:${port}/mcp`);
  const closed = once(server, 'close');

  return {
    url,
    async stop() {
      accepting = false;
      server.close();
      server.closeIdleConnections();
      await parts.drain();
      const answered = new Promise<void>((resolve) => {
        allAnswered = resolve;
        if (open === 0) resolve();
      });
      await Promise.race([answered, sleep(FLUSH_MS)]);
      // Ends exchanges that never finish on their own (subscription streams), then whatever sockets remain.
      await handler.close();
      server.closeIdleConnections();
      await Promise.race([closed, sleep(FLUSH_MS)]);
      server.closeAllConnections();
    },
  };
}

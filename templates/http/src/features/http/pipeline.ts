import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NodeMcpRequestHandler } from '@modelcontextprotocol/node';
import { currentRequest, type RequestContext, requestContext } from '../../core/context.js';
import { envelope } from '../../core/errors.js';
import type { App, HttpMiddleware, Route, ServerParts } from '../../core/feature.js';
import { sendEnvelope, sendJson } from '../../core/http-response.js';
import { ANONYMOUS } from '../../core/principal.js';
import { batchRefusal, inspectBatch } from './batches.js';
import { answerCors, createGuards, headerId, MCP_METHODS, malformedRequest } from './guards.js';
import type { HttpConfig } from './index.js';
import { healthRoutes } from './routes.js';

export interface PipelineOptions {
  config: HttpConfig;
  app: App;
  parts: ServerParts;
  mcp: NodeMcpRequestHandler;
  /** False once shutdown began: new MCP requests are refused so in-flight ones can drain. */
  accepting: () => boolean;
}

/**
 * The body as JSON, parsed here once and handed to the SDK (its `parsedBody`): given only the bytes, it copies
 * the request to read the body twice, decodes it and parses it again, about a tenth of a call's cost (issue
 * 15). A body that is not a JSON object or array goes through as bytes, so the SDK answers it as it always has.
 */
function parsedJson(body: Buffer): object | undefined {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    return typeof parsed === 'object' && parsed !== null ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Runs middleware in order; each calls `next()` to continue or answers the request itself. */
function compose(
  steps: readonly HttpMiddleware[],
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return (req, res) => {
    const dispatch = async (index: number): Promise<void> => {
      const step = steps[index];
      if (step !== undefined) await step(req, res, () => dispatch(index + 1));
    };
    return dispatch(0);
  };
}

/**
 * One request through the server: IDs → health and feature routes (outside Host validation and auth: probes
 * address pods by IP) → Host/Origin validation → CORS for allowed origins → beforeAuth → authenticator →
 * afterAuth → body limit → JSON-RPC batch rules → MCP.
 * Everything runs inside one request context, so every log line and envelope carries the same IDs.
 */
export function createPipeline(
  options: PipelineOptions,
): (req: IncomingMessage, res: ServerResponse) => void {
  const { config, app, parts, mcp } = options;
  const routes = new Map<string, Route>(
    [...healthRoutes(parts.health, app.logger), ...parts.routes].map((route) => [
      `${route.method} ${route.path}`,
      route,
    ]),
  );
  const guard = createGuards(config);

  const authenticate: HttpMiddleware = async (req, res, next) => {
    if (parts.authenticator === undefined) return next();
    const outcome = await parts.authenticator.authenticate(req);
    // The auth feature logs the reason and emits auth.rejected; here we only answer.
    if (!outcome.ok)
      return sendEnvelope(res, outcome.error, { status: outcome.status, headers: outcome.headers });
    const context = currentRequest();
    if (context !== undefined) context.principal = outcome.principal;
    return next();
  };

  const serveMcp: HttpMiddleware = async (req, res) => {
    const declared = req.headers['content-length'];
    // Node's parser holds the body to its Content-Length, so the declared size is the real one.
    if (declared !== undefined && Number(declared) > config.MAX_BODY_BYTES) return tooLarge(res);
    if (req.method !== 'POST') return mcp(req, res);
    // Read the body under the limit (a chunked one announces no size), then hand the SDK the bytes.
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > config.MAX_BODY_BYTES) return tooLarge(res);
      chunks.push(chunk);
    }
    const body = Buffer.concat(chunks);
    const batch = inspectBatch(body, req.headers['mcp-protocol-version']);
    if (batch.batch && !batch.allowed) {
      app.logger.info(
        { version: batch.version },
        'JSON-RPC batch refused: not part of this protocol version',
      );
      return sendJson(res, 400, batchRefusal(batch.version));
    }
    if (batch.batch && batch.messages > 1) {
      for (const guard of parts.batchGuards) {
        const refusal = await guard(batch.messages - 1);
        if (refusal !== undefined) return sendEnvelope(res, refusal);
      }
    }
    return mcp(
      {
        method: req.method,
        url: req.url,
        headers: req.headers,
        async *[Symbol.asyncIterator]() {
          yield body;
        },
      },
      res,
      parsedJson(body),
    );
  };

  const tooLarge = (res: ServerResponse) => {
    app.logger.info({ limit: config.MAX_BODY_BYTES }, 'request body over MAX_BODY_BYTES refused');
    const message = `The request body is larger than ${config.MAX_BODY_BYTES} bytes.`;
    sendEnvelope(res, envelope('PAYLOAD_TOO_LARGE', message), { headers: { connection: 'close' } });
  };

  const mcpChain = compose([...parts.beforeAuth, authenticate, ...parts.afterAuth, serveMcp]);

  const handle = async (req: IncomingMessage, res: ServerResponse, path: string) => {
    const malformed = malformedRequest(req);
    if (malformed !== undefined) {
      app.logger.info({ reason: malformed }, 'malformed request refused');
      return sendEnvelope(res, envelope('INVALID_ARGUMENT', malformed), { headers: { connection: 'close' } });
    }
    const route = routes.get(`${req.method} ${path}`);
    if (route !== undefined) return route.handle(req, res);
    if (path !== '/mcp') {
      return sendEnvelope(res, envelope('NOT_FOUND', `Nothing is served at ${path}; MCP is served at /mcp.`));
    }
    if (!MCP_METHODS.includes(req.method ?? '')) {
      const message = `${req.method} is not served at /mcp; use ${MCP_METHODS.join(', ')}.`;
      return sendEnvelope(res, envelope('INVALID_ARGUMENT', message), {
        status: 405,
        headers: { allow: MCP_METHODS.join(', ') },
      });
    }
    const refused = guard(req);
    if (refused !== undefined) {
      app.logger.info(
        { host: req.headers.host, origin: req.headers.origin },
        'request refused by Host/Origin validation',
      );
      return sendEnvelope(res, refused);
    }
    if (answerCors(req, res)) return;
    if (!options.accepting()) {
      const message = 'The server is shutting down. Retry; another instance will answer.';
      return sendEnvelope(res, envelope('UNAVAILABLE', message, { retryAfter: 1 }), {
        headers: { connection: 'close' },
      });
    }
    return mcpChain(req, res);
  };

  return (req, res) => {
    const started = performance.now();
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    const path = query === -1 ? url : url.slice(0, query);
    const requestId = headerId(req.headers['x-request-id']) ?? randomUUID();
    res.setHeader('x-request-id', requestId);
    const context: RequestContext = {
      requestId,
      correlationId: headerId(req.headers['x-correlation-id']) ?? requestId,
      principal: ANONYMOUS,
      clientIp: req.socket.remoteAddress,
    };
    const runId = headerId(req.headers['x-run-id']);
    if (runId !== undefined) context.runId = runId;

    requestContext.run(context, () => {
      res.once('close', () => {
        const durationMs = Math.round((performance.now() - started) * 10) / 10;
        const route = path === '/mcp' || routes.has(`${req.method} ${path}`) ? path : 'unmatched';
        const fields = { method: req.method, route, status: res.statusCode, durationMs };
        app.logger[res.statusCode >= 500 ? 'warn' : 'debug'](fields, 'http request');
        app.events.emit('http.request', {
          route,
          method: req.method ?? 'GET',
          status: res.statusCode,
          durationMs,
        });
      });
      handle(req, res, path).catch((err: unknown) => {
        app.logger.error({ err }, 'request failed');
        if (res.headersSent) return res.destroy();
        const message =
          'The request failed unexpectedly. The error was logged; quote the requestId to the operator.';
        sendEnvelope(res, envelope('INTERNAL', message));
      });
    });
  };
}

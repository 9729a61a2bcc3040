import { currentRequest } from '../../core/context.js';
import { envelope } from '../../core/errors.js';
import type { AppEventBus } from '../../core/events.js';
import type { HttpMiddleware } from '../../core/feature.js';
import { sendEnvelope } from '../../core/http-response.js';
import type { RateLimitStore } from '../../core/rate-limit.js';
import { subjectOf } from './subject.js';
import { describeWait } from './wait.js';

const MINUTE_MS = 60_000;

/**
 * Flood guard on /mcp, after authentication and before the body is read or MCP parses anything: each caller
 * (principal, or IP when anonymous) gets `perMinute` HTTP requests per sliding minute, else `429` with
 * `Retry-After` and the error envelope. It counts per process on purpose: it must keep working while Redis is
 * down, and a flood should not cost a Redis round trip per request.
 */
export function edgeLimit(store: RateLimitStore, perMinute: number, events: AppEventBus): HttpMiddleware {
  return async (_req, res, next) => {
    const context = currentRequest();
    const subject = context ? subjectOf(context.principal, context.clientIp) : 'unknown';
    const decision = await store.hit(`edge:${subject}`, perMinute, MINUTE_MS);
    if (decision.allowed) return next();

    events.emit('limit.rejected', { kind: 'edge' });
    const message = `Too many requests: ${perMinute} per minute per caller; retry in ${describeWait(decision.retryAfterMs)}.`;
    sendEnvelope(res, envelope('RATE_LIMITED', message, { retryAfter: decision.retryAfterMs / 1000 }));
  };
}

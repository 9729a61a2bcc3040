import { currentRequest } from '../../core/context.js';
import { type ErrorEnvelope, envelope } from '../../core/errors.js';
import type { AppEventBus } from '../../core/events.js';
import type { BatchGuard, HttpMiddleware } from '../../core/feature.js';
import { sendEnvelope } from '../../core/http-response.js';
import type { RateLimitStore } from '../../core/rate-limit.js';
import { subjectOf } from './subject.js';
import { describeWait } from './wait.js';

const MINUTE_MS = 60_000;

/**
 * Flood guard on /mcp, after authentication and before the body is read or MCP parses anything: each caller
 * (principal, or peer address when anonymous) gets `perMinute` HTTP requests per sliding minute, else `429`
 * with `Retry-After` and the error envelope. It counts per process on purpose: it must keep working while
 * Redis is down, and a flood should not cost a Redis round trip per request. A JSON-RPC batch (2025-03-26)
 * is counted as the messages it carries: the middleware counts the request, the batch guard the rest, so
 * 100 calls in one array cost 100, not 1.
 */
export function edgeLimit(
  store: RateLimitStore,
  perMinute: number,
  events: AppEventBus,
): { middleware: HttpMiddleware; batchGuard: BatchGuard } {
  const key = () => {
    const context = currentRequest();
    return `edge:${context ? subjectOf(context.principal, context.clientIp) : 'unknown'}`;
  };
  const refusal = (retryAfterMs: number, what: string): ErrorEnvelope => {
    events.emit('limit.rejected', { kind: 'edge' });
    const message = `Too many requests: ${perMinute} per minute per caller${what}; retry in ${describeWait(retryAfterMs)}.`;
    return envelope('RATE_LIMITED', message, { retryAfter: retryAfterMs / 1000 });
  };

  return {
    middleware: async (_req, res, next) => {
      const decision = await store.hit(key(), perMinute, MINUTE_MS);
      if (decision.allowed) return next();
      sendEnvelope(res, refusal(decision.retryAfterMs, ''));
    },
    batchGuard: async (extraMessages) => {
      for (let counted = 0; counted < extraMessages; counted++) {
        const decision = await store.hit(key(), perMinute, MINUTE_MS);
        if (!decision.allowed) {
          return refusal(decision.retryAfterMs, ', and each message of a JSON-RPC batch counts as one');
        }
      }
      return undefined;
    },
  };
}

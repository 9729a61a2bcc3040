import { currentRequest } from '../../core/context.js';
import { envelope } from '../../core/errors.js';
import type { App, HttpMiddleware } from '../../core/feature.js';
import { sendEnvelope } from '../../core/http-response.js';
import { peerOf } from '../../core/peer.js';
import { SampledLog } from '../../core/sampled-log.js';
import type { MemoryRateLimitStore } from './memory-store.js';
import { describeWait } from './wait.js';

const MINUTE_MS = 60_000;

/**
 * The limit that runs before authentication. Credentials are checked before anyone is known, so a peer
 * (IPv4 address, IPv6 /64) sending wrong ones was never limited: 50 wrong keys were 50 × 401, each with its
 * hash comparison or signature check and its log line. Every refusal of credentials by the authenticator (400,
 * 401, and the 403 that api-key and gateway modes answer for a wrong key; not a 503, which is ours, nor a scope
 * refusal, which is a known caller) counts against the peer; once it has
 * `perMinute` of them in the last minute, its requests get 429 before authentication until the oldest one
 * leaves the window. Only failures count, so clients behind one proxy address are not limited together
 * for their successful calls. The lock-outs are logged as one sampled line a minute.
 */
export function authFailureLimit(store: MemoryRateLimitStore, perMinute: number, app: App): HttpMiddleware {
  const keyOf = () => `auth-failures:${peerOf(currentRequest()?.clientIp) ?? 'unknown'}`;
  // Emitted by the auth feature inside the request's context, so the peer is the one that failed.
  app.events.on('auth.rejected', ({ status, stage }) => {
    if (stage === 'credentials' && status < 500) void store.hit(keyOf(), perMinute, MINUTE_MS);
  });
  const lockouts = new SampledLog(
    app.logger,
    `requests refused before authentication: a peer sent more than ${perMinute} failed credentials in a minute`,
  );

  return async (_req, res, next) => {
    const key = keyOf();
    const decision = store.peek(key, perMinute, MINUTE_MS);
    if (decision.allowed) return next();
    app.events.emit('limit.rejected', { kind: 'auth' });
    lockouts.note('refused', { peer: key.slice('auth-failures:'.length) });
    const message = `Too many failed authentications from this address: ${perMinute} per minute; retry in ${describeWait(decision.retryAfterMs)} with valid credentials.`;
    sendEnvelope(res, envelope('RATE_LIMITED', message, { retryAfter: decision.retryAfterMs / 1000 }));
  };
}

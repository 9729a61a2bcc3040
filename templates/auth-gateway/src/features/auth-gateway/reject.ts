import { currentRequest } from '../../core/context.js';
import { envelope } from '../../core/errors.js';
import type { App, AuthOutcome } from '../../core/feature.js';

/**
 * Every rejection is logged (with the request id and the peer address, so an operator can tell a
 * misconfigured gateway from a request that went around it) and counted (`auth.rejected`). The client learns
 * only that this server must be reached through its gateway.
 */
export function rejecter(app: App) {
  return (status: 403 | 503, reason: string, peer: string | undefined): AuthOutcome => {
    const requestId = currentRequest()?.requestId;
    if (status === 503) app.logger.error({ requestId, status, reason, peer }, 'auth rejected');
    else app.logger.warn({ requestId, status, reason, peer }, 'auth rejected');
    app.events.emit('auth.rejected', { status, reason, stage: 'credentials' });
    if (status === 503) {
      const message =
        'Requests cannot be checked right now: the gateway keys are unreachable. Retry shortly.';
      return {
        ok: false,
        status,
        error: envelope('UNAVAILABLE', message, { retryAfter: 5 }),
        headers: { 'retry-after': '5' },
        reason,
      };
    }
    // 403 without a WWW-Authenticate challenge: there is no credential this server could ask the client for
    // (the gateway in front owns authentication; a request without its proof went around it), and a 401 would
    // send OAuth-aware MCP clients into OAuth discovery this server does not offer.
    return {
      ok: false,
      status,
      error: envelope('UNAUTHENTICATED', 'This server accepts requests only through its API gateway.'),
      reason,
    };
  };
}

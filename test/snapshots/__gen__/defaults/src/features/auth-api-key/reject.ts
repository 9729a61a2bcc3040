import { currentRequest } from '../../core/context.js';
import { envelope } from '../../core/errors.js';
import type { App, AuthOutcome } from '../../core/feature.js';

/**
 * Every rejection is logged (with the request id, so an operator can answer "why was I refused?") and
 * counted (`auth.rejected`, which metrics turn into a counter). The reason stays in the log; the client gets
 * a message that helps a legitimate caller and nothing that helps a guesser.
 */
export function rejecter(app: App) {
  /**
   * `error` is the RFC 6750 §3 code for the challenge: none when no credentials came, `invalid_request`
   * when they were malformed, `invalid_token` when the key is unknown.
   */
  return (
    status: 400 | 401,
    reason: string,
    message: string,
    error?: 'invalid_request' | 'invalid_token',
  ): AuthOutcome => {
    app.logger.warn({ requestId: currentRequest()?.requestId, status, reason }, 'auth rejected');
    app.events.emit('auth.rejected', { status, reason });
    const challenge = error === undefined ? 'Bearer realm="mcp"' : `Bearer realm="mcp", error="${error}"`;
    return {
      ok: false,
      status,
      error: envelope('UNAUTHENTICATED', message),
      headers: { 'www-authenticate': challenge },
      reason,
    };
  };
}

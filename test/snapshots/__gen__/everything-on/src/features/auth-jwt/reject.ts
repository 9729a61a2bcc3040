import { currentRequest } from '../../core/context.js';
import type { ErrorEnvelope } from '../../core/errors.js';
import type { App, AuthOutcome } from '../../core/feature.js';

/**
 * Every rejection is logged (with the request id, so an operator can answer "why was I refused?") and
 * counted (`auth.rejected`, which metrics turn into a counter). The reason stays in the log; the client gets
 * a message that helps a legitimate caller and nothing that helps a forger.
 */
export function rejecter(app: App) {
  return (
    status: 400 | 401 | 503,
    reason: string,
    error: ErrorEnvelope,
    headers: Record<string, string>,
  ): AuthOutcome => {
    const log = status === 503 ? app.logger.error.bind(app.logger) : app.logger.warn.bind(app.logger);
    log({ requestId: currentRequest()?.requestId, status, reason }, 'auth rejected');
    app.events.emit('auth.rejected', { status, reason, stage: 'credentials' });
    return { ok: false, status, error, headers, reason };
  };
}

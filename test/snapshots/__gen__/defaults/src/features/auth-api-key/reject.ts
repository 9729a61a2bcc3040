import { currentRequest } from '../../core/context.js';
import { envelope } from '../../core/errors.js';
import type { App, AuthOutcome } from '../../core/feature.js';

/**
 * Every rejection is logged (with the request id, so an operator can answer "why was I refused?") and
 * counted (`auth.rejected`, which metrics turn into a counter). The reason stays in the log; the client gets
 * a message that helps a legitimate caller and nothing that helps a guesser.
 *
 * A missing or unknown key is answered 403, not 401, and without a `WWW-Authenticate` challenge: MCP clients
 * that support OAuth (mcp-remote, the Inspector, any SDK client given an auth provider) start OAuth discovery
 * and dynamic client registration on *every* 401, whatever its challenge says, and the user then reads a
 * registration failure instead of "the API key is not valid". This server has no OAuth to discover; a 403 with
 * the envelope is shown as is. Malformed credentials stay 400.
 */
export function rejecter(app: App) {
  return (status: 400 | 403, reason: string, message: string): AuthOutcome => {
    app.logger.warn({ requestId: currentRequest()?.requestId, status, reason }, 'auth rejected');
    app.events.emit('auth.rejected', { status, reason, stage: 'credentials' });
    return { ok: false, status, error: envelope('UNAUTHENTICATED', message), reason };
  };
}

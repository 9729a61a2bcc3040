import { envelope } from '../../core/errors.js';
import type { App, ToolMiddleware } from '../../core/feature.js';

/**
 * Refuses a call to a tool that declares `scopes` the caller's key was not given. stdio callers are
 * trusted (the process that launched the server), so only HTTP principals are checked.
 */
export function requireToolScopes(app: App): ToolMiddleware {
  return async (call, next) => {
    const required = call.principal.source === 'stdio' ? [] : (call.tool.scopes ?? []);
    const missing = required.filter((scope) => !call.principal.scopes.includes(scope));
    if (missing.length === 0) return next();
    const reason = 'insufficient scope';
    app.logger.warn(
      { requestId: call.requestId, principal: call.principal.id, tool: call.name, missing, reason },
      'auth rejected',
    );
    app.events.emit('auth.rejected', { status: 403, reason });
    return {
      ok: false,
      error: envelope(
        'FORBIDDEN',
        `${call.name} needs the scope ${missing.join(' ')}; this API key does not have it.`,
      ),
    };
  };
}

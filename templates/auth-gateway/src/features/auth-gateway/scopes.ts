import { envelope } from '../../core/errors.js';
import type { App, ToolMiddleware } from '../../core/feature.js';

/**
 * Refuses a call to a tool that declares `scopes` the gateway did not grant (scopes come from the
 * assertion's `scope`/`scp` claims, or the configured scopes header). stdio callers are trusted.
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
    return { ok: false, error: envelope('FORBIDDEN', `${call.name} needs the scope ${missing.join(' ')}.`) };
  };
}

import { envelope } from './errors.js';
import type { App, ToolMiddleware } from './feature.js';
import type { Principal } from './principal.js';

/** The required scopes the principal lacks. stdio callers are trusted (the process that launched the server). */
export function missingScopes(required: readonly string[], principal: Principal): string[] {
  return principal.source === 'stdio' ? [] : required.filter((scope) => !principal.scopes.includes(scope));
}

/** The FORBIDDEN envelope naming what is missing; `advice` tells the caller where such a scope comes from. */
export function forbiddenScope(tool: string, missing: readonly string[], advice: string) {
  return envelope('FORBIDDEN', `${tool} needs the scope ${missing.join(' ')}: ${advice}`);
}

/**
 * Refuses a call to a tool whose declared `scopes` the caller was not granted, whichever auth feature granted
 * them (API key entry, token claims, gateway assertion): logged with the request id and counted as an
 * `auth.rejected` of stage `scope`, so it is never mistaken for a failed login.
 */
export function requireToolScopes(app: App, advice: string): ToolMiddleware {
  return async (call, next) => {
    const missing = missingScopes(call.tool.scopes ?? [], call.principal);
    if (missing.length === 0) return next();
    const reason = 'insufficient scope';
    app.logger.warn(
      { requestId: call.requestId, principal: call.principal.id, tool: call.name, missing, reason },
      'auth rejected',
    );
    app.events.emit('auth.rejected', { status: 403, reason, stage: 'scope' });
    return { ok: false, error: forbiddenScope(call.name, missing, advice) };
  };
}

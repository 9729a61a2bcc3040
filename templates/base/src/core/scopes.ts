import { envelope } from './errors.js';
import type { App } from './feature.js';
import { isListing, visibleTo } from './listing.js';
import type { OperationMiddleware } from './operation.js';
import type { Principal } from './principal.js';

/** Required scopes a principal lacks. stdio callers are trusted (the launching process holds the credentials). */
export const missingScopes = (required: readonly string[], principal: Principal): string[] =>
  principal.source === 'stdio' ? [] : required.filter((scope) => !principal.scopes.includes(scope));

/** The FORBIDDEN envelope naming what is missing; `remedy` tells the caller how to get such a scope. */
export function forbiddenScope(item: string, missing: readonly string[], remedy: string) {
  return envelope('FORBIDDEN', `${item} needs the scope ${missing.join(' ')}: ${remedy}`);
}

/**
 * The auth features' operation middleware: refuses an operation on an item (tool, resource, prompt,
 * completion of one) that declares `scopes` the caller lacks with FORBIDDEN naming them, and leaves such
 * items out of every list that caller sees. Refusals are logged with the request id and counted as an
 * `auth.rejected` of stage `scope`, so they are never mistaken for a failed login.
 */
export function requireScopes(app: App, remedy: string): OperationMiddleware {
  return async (call, next) => {
    if (isListing(call.kind)) {
      return visibleTo(await next(), (scopes) => missingScopes(scopes, call.principal).length === 0);
    }
    const missing = missingScopes(call.item?.scopes ?? [], call.principal);
    if (missing.length === 0) return next();
    const reason = 'insufficient scope';
    app.logger.warn(
      { requestId: call.requestId, principal: call.principal.id, item: call.name, missing, reason },
      'auth rejected',
    );
    app.events.emit('auth.rejected', { status: 403, reason, stage: 'scope' });
    return { ok: false, error: forbiddenScope(call.name, missing, remedy) };
  };
}

import type { JWTPayload } from 'jose';
import { currentRequest } from '../../core/context.js';
import type { App, HttpMiddleware } from '../../core/feature.js';
import { sendEnvelope } from '../../core/http-response.js';
import { forbiddenScope, missingScopes } from '../../core/scopes.js';
import { publishedName } from '../../core/tool.js';
import type { Challenge } from './metadata.js';

/** Scopes from `scope` (RFC 9068: space-separated) and `scp` (Okta, Entra ID: an array or a string). */
export function grantedScopes(payload: JWTPayload): string[] {
  const scopes = new Set<string>();
  for (const claim of [payload.scope, payload.scp]) {
    const values: unknown[] =
      typeof claim === 'string' ? claim.split(' ') : Array.isArray(claim) ? claim : [];
    for (const value of values) if (typeof value === 'string' && value !== '') scopes.add(value);
  }
  return [...scopes];
}

/** Where a missing scope comes from, said in every FORBIDDEN of this mode. */
export const TOKEN_ADVICE = 'ask the authorization server for a token with it.';

/**
 * Step-up at the HTTP edge. A 2026-07-28 request names its tool in the `Mcp-Name` header (the SDK rejects
 * a header that disagrees with the body), so a missing scope is answered `403 insufficient_scope` before any
 * MCP handling: the answer OAuth clients act on by requesting a token with more scope. Older clients name
 * the tool only in the body; the operation middleware (core/scopes.ts) refuses those calls inside the tool result instead.
 */
export function scopeChallenge(app: App, challenge: Challenge): HttpMiddleware {
  const required = new Map(
    app.tools.filter((tool) => tool.scopes?.length).map((tool) => [publishedName(tool), tool]),
  );
  return async (req, res, next) => {
    const name = req.headers['mcp-name'];
    const tool =
      req.headers['mcp-method'] === 'tools/call' && typeof name === 'string' ? required.get(name) : undefined;
    const context = currentRequest();
    if (tool?.scopes === undefined || context === undefined) return next();
    const missing = missingScopes(tool.scopes, context.principal);
    if (missing.length === 0) return next();
    const reason = 'insufficient scope';
    app.logger.warn(
      {
        requestId: context.requestId,
        principal: context.principal.id,
        tool: publishedName(tool),
        missing,
        reason,
      },
      'auth rejected',
    );
    app.events.emit('auth.rejected', { status: 403, reason, stage: 'scope' });
    const header = challenge({ error: 'insufficient_scope', scope: tool.scopes.join(' ') });
    sendEnvelope(res, forbiddenScope(publishedName(tool), missing, TOKEN_ADVICE), {
      status: 403,
      headers: { 'www-authenticate': header },
    });
  };
}

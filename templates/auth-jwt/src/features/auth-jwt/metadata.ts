import { getOAuthProtectedResourceMetadataUrl } from '@modelcontextprotocol/server';
import type { Route } from '../../core/feature.js';
import type { ToolDefinition } from '../../core/tool.js';
import type { JwtEnv } from './env.js';

/** Builds a `WWW-Authenticate: Bearer …` value; every one names the metadata document. */
export type Challenge = (params?: Record<string, string>) => string;

/**
 * RFC 9728 protected resource metadata: how an MCP client that got a 401 learns which authorization server
 * issues tokens for this server, and for which resource (the audience) it must ask.
 */
export function protectedResource(
  env: JwtEnv,
  tools: readonly ToolDefinition[],
): { routes: Route[]; challenge: Challenge } {
  const metadataUrl = getOAuthProtectedResourceMetadataUrl(new URL(env.JWT_AUDIENCE));
  const scopes = [...new Set(tools.flatMap((tool) => tool.scopes ?? []))].sort();
  const document = JSON.stringify({
    resource: env.JWT_AUDIENCE,
    authorization_servers:
      env.JWT_AUTHORIZATION_SERVERS.length > 0 ? env.JWT_AUTHORIZATION_SERVERS : [env.JWT_ISSUER],
    bearer_methods_supported: ['header'],
    ...(scopes.length > 0 && { scopes_supported: scopes }),
  });
  // Served at this server's own /mcp path, and at the audience's path if a proxy maps it elsewhere.
  const paths = new Set(['/.well-known/oauth-protected-resource/mcp', new URL(metadataUrl).pathname]);
  const routes: Route[] = [...paths].map((path) => ({
    method: 'GET',
    path,
    handle(_req, res) {
      res.writeHead(200, {
        'content-type': 'application/json',
        'cache-control': 'public, max-age=3600',
        // Browser-based MCP clients read it cross-origin; it holds nothing private.
        'access-control-allow-origin': '*',
      });
      res.end(document);
    },
  }));
  const challenge: Challenge = (params = {}) =>
    `Bearer ${Object.entries({ ...params, resource_metadata: metadataUrl })
      .map(([name, value]) => `${name}="${value}"`)
      .join(', ')}`;
  return { routes, challenge };
}

/** Who is calling. Auth produces one per request; tools, logs, limits and budgets all key on it. */
export interface Principal {
  /** Stable identifier: the API key's name, the JWT `sub`, the gateway-asserted user, or a fixed id. */
  id: string;
  /** Granted scopes (OAuth scopes, or the scopes configured for an API key). */
  scopes: readonly string[];
  /** Which mechanism vouched for this principal. */
  source: 'api-key' | 'jwt' | 'gateway' | 'anonymous' | 'stdio';
}

/** The principal of an HTTP request when no auth is configured. */
export const ANONYMOUS: Principal = Object.freeze({ id: 'anonymous', scopes: [], source: 'anonymous' });

/** The principal over stdio: the process that launched the server is trusted (credentials come from env). */
export const STDIO_CLIENT: Principal = Object.freeze({ id: 'stdio', scopes: [], source: 'stdio' });

import { randomBytes } from 'node:crypto';
import type { AuthMode } from '../../src/core/answers.js';
import { apiKey, jwt, nowSeconds } from './tokens.js';

export interface TestCredentials {
  /** Env vars that configure the generated server's auth (fresh secrets per call). */
  env: Record<string, string>;
  /** Headers that authenticate one request to it as the principal `e2e`. */
  headers(): Record<string, string>;
}

/**
 * Working credentials for a booted generated server of any auth mode, for e2e cases that are about something
 * else (limits, metrics, traces): `bootServer(dir, { ...creds.env, ... })`, then send `creds.headers()`.
 */
export function testCredentials(auth: AuthMode, scopes: readonly string[] = []): TestCredentials {
  switch (auth) {
    case 'none':
      return { env: {}, headers: () => ({}) };
    case 'api-key': {
      const { key, entry } = apiKey('e2e', scopes);
      return { env: { API_KEYS: entry }, headers: () => ({ authorization: `Bearer ${key}` }) };
    }
    case 'jwt': {
      const secret = randomBytes(32).toString('base64url');
      const claims = { iss: 'https://issuer.e2e/', aud: 'https://mcp.e2e/mcp' };
      return {
        env: { JWT_ISSUER: claims.iss, JWT_AUDIENCE: claims.aud, JWT_SECRET: secret },
        headers: () => {
          const payload = { ...claims, sub: 'e2e', scope: scopes.join(' '), exp: nowSeconds() + 600 };
          return { authorization: `Bearer ${jwt(payload, { kind: 'hs256', secret })}` };
        },
      };
    }
    case 'gateway': {
      const secret = randomBytes(32).toString('base64url');
      return {
        env: { GATEWAY_SECRET: secret, GATEWAY_SCOPES_HEADER: 'x-forwarded-scopes' },
        headers: () => ({
          'x-gateway-secret': secret,
          'x-forwarded-user': 'e2e',
          'x-forwarded-scopes': scopes.join(' '),
        }),
      };
    }
  }
}

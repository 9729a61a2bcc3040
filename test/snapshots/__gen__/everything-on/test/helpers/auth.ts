import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { tools } from '../../src/tools/index.js';

/** How this project's tests authenticate, whatever auth it was generated with (here: JWT access tokens). */
export interface TestAuth {
  /** The principal id the headers authenticate as. */
  principal: string;
  /** Environment variables that configure auth for a test server. */
  env: Record<string, string>;
  /** Headers that authenticate one request as `principal`, with every scope the project's tools declare. */
  headers(): Promise<Record<string, string>>;
}

// HS256 with a fresh secret per test run: no identity provider needed (the JWKS path has its own tests).
const secret = randomBytes(32).toString('base64url');
const issuer = 'https://issuer.test/';
const audience = 'https://mcp.test/mcp';
const scope = [...new Set(tools.flatMap((tool) => tool.scopes ?? []))].join(' ');

export const testAuth: TestAuth = {
  principal: 'test',
  env: { JWT_ISSUER: issuer, JWT_AUDIENCE: audience, JWT_SECRET: secret },
  headers: async () => {
    const token = await new SignJWT({ sub: 'test', scope })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(issuer)
      .setAudience(audience)
      .setExpirationTime('15m')
      .sign(new TextEncoder().encode(secret));
    return { authorization: `Bearer ${token}` };
  },
};

import { exportSPKI, type JWTPayload, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, startHttpServer, type TestServer } from '../../helpers/http-server.js';
import { type SigningKey, signingKey, startJwksServer } from '../../helpers/jwks-server.js';
import { callTool } from '../../helpers/mcp-request.js';
import { handlerRuns, probes, scopeTests } from '../../helpers/probe-tools.js';
import { AUDIENCE, ISSUER, now, signToken } from './identity-provider.js';

const METADATA_URL = 'https://mcp.example.test/.well-known/oauth-protected-resource/mcp';
const b64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

let signing: SigningKey;
let jwks: Awaited<ReturnType<typeof startJwksServer>>;
let server: TestServer;
const token = (claims: JWTPayload = {}, key = signing, kid = key.kid) => signToken(key, claims, kid);

beforeAll(async () => {
  signing = await signingKey('RS256', 'key-1');
  jwks = await startJwksServer([signing.jwk]);
  server = await startHttpServer(
    { JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE, JWT_JWKS_URL: jwks.url },
    probes,
  );
});
afterAll(async () => {
  await server?.stop();
  await jwks?.stop();
});

describe('jwt auth: hostile battery (every case must be rejected before any tool runs)', () => {
  const cases: Array<{
    name: string;
    status: 400 | 401;
    /** The logged reason: proves the case failed on the check it targets, not on something incidental. */
    reason: string;
    authorization?: () => Promise<string>;
    query?: string;
  }> = [
    { name: 'no credentials', status: 401, reason: 'no credentials' },
    {
      name: 'empty Authorization header',
      status: 401,
      reason: 'no credentials',
      authorization: async () => '',
    },
    {
      name: 'garbage Authorization header',
      status: 401,
      reason: 'unsupported authorization scheme',
      authorization: async () => 'garbage',
    },
    {
      name: 'Bearer with garbage',
      status: 401,
      reason: 'ERR_JWS_INVALID',
      authorization: async () => 'Bearer not.a.jwt',
    },
    {
      name: 'Bearer with characters outside b64token',
      status: 400,
      reason: 'malformed authorization header',
      authorization: async () => 'Bearer {"alg":"none"}',
    },
    {
      name: 'valid token in the query string',
      status: 400,
      reason: 'token in query string',
      authorization: async () => `Bearer ${await token()}`,
      query: `?access_token=${'x'.repeat(20)}`,
    },
    {
      name: 'valid token + trailing no-break space',
      status: 400,
      reason: 'malformed authorization header',
      authorization: async () => `Bearer ${await token()}\u00a0`,
    },
    {
      name: 'wrong signature (signed by another key under the same kid)',
      status: 401,
      reason: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
      authorization: async () => `Bearer ${await token({}, await signingKey('RS256', 'key-1'))}`,
    },
    {
      name: 'signature of another token spliced on',
      status: 401,
      reason: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
      authorization: async () => {
        const [header, , signature] = (await token()).split('.');
        return `Bearer ${header}.${b64url({ sub: 'admin', iss: ISSUER, aud: AUDIENCE, exp: now() + 300 })}.${signature}`;
      },
    },
    {
      name: 'alg: none',
      status: 401,
      reason: 'ERR_JOSE_ALG_NOT_ALLOWED',
      authorization: async () =>
        `Bearer ${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({ sub: 'user-123', iss: ISSUER, aud: AUDIENCE, exp: now() + 300 })}.`,
    },
    {
      name: 'HS256 signed with the RSA public key as the secret',
      status: 401,
      reason: 'ERR_JOSE_ALG_NOT_ALLOWED',
      authorization: async () => {
        const secret = new TextEncoder().encode(await exportSPKI(signing.publicKey));
        const forged = await new SignJWT({ sub: 'user-123', scope: 'reports:read' })
          .setProtectedHeader({ alg: 'HS256', kid: signing.kid })
          .setIssuer(ISSUER)
          .setAudience(AUDIENCE)
          .setExpirationTime('5m')
          .sign(secret);
        return `Bearer ${forged}`;
      },
    },
    {
      name: 'wrong issuer',
      status: 401,
      reason: 'claim iss: check_failed',
      authorization: async () => `Bearer ${await token({ iss: 'https://evil.test/' })}`,
    },
    {
      name: 'wrong audience (a token for another resource)',
      status: 401,
      reason: 'claim aud: check_failed',
      authorization: async () => `Bearer ${await token({ aud: 'https://other.example.test/mcp' })}`,
    },
    {
      name: 'audience with a trailing slash',
      status: 401,
      reason: 'claim aud: check_failed',
      authorization: async () => `Bearer ${await token({ aud: `${AUDIENCE}/` })}`,
    },
    {
      name: 'expired',
      status: 401,
      reason: 'token expired',
      authorization: async () => `Bearer ${await token({ exp: now() - 60 })}`,
    },
    {
      name: 'not yet valid (nbf)',
      status: 401,
      reason: 'claim nbf: check_failed',
      authorization: async () => `Bearer ${await token({ nbf: now() + 60 })}`,
    },
    {
      name: 'no exp claim',
      status: 401,
      reason: 'claim exp: missing',
      authorization: async () => `Bearer ${await token({ exp: undefined })}`,
    },
    {
      name: 'no sub claim',
      status: 401,
      reason: 'claim sub: missing',
      authorization: async () => `Bearer ${await token({ sub: undefined })}`,
    },
    {
      name: 'unknown kid',
      status: 401,
      reason: 'ERR_JWKS_NO_MATCHING_KEY',
      authorization: async () => `Bearer ${await token({}, await signingKey('RS256', 'key-unknown'))}`,
    },
  ];

  it.each(cases)('$name → $status', async ({ status, reason, authorization, query }) => {
    const runsBefore = handlerRuns.count;
    const statuses: number[] = [];
    const onRejected = (event: { status: number }) => statuses.push(event.status);
    const headers: Record<string, string> = authorization ? { authorization: await authorization() } : {};
    server.events.on('auth.rejected', onRejected);
    const res = await callTool(server.url, 'whoami_v1', headers, query);
    server.events.off('auth.rejected', onRejected);

    expect(res.status).toBe(status);
    expect(res.headers['www-authenticate']).toContain(`resource_metadata="${METADATA_URL}"`);
    if (status === 400) expect(res.headers['www-authenticate']).toContain('error="invalid_request"');
    const body = JSON.parse(res.body);
    expect(body).toMatchObject({ error: 'UNAUTHENTICATED', retryable: false, requestId: expect.any(String) });
    expect(statuses).toEqual([status]);
    const line = server.logs.find((l) => l.msg === 'auth rejected' && l.requestId === body.requestId);
    expect(line?.reason).toBe(reason);
    expect(handlerRuns.count).toBe(runsBefore);
  });

  it('an expired token is told apart (the client can refresh); other failures are not', async () => {
    const expired = await callTool(server.url, 'whoami_v1', {
      authorization: `Bearer ${await token({ exp: now() - 60 })}`,
    });
    const forged = await callTool(server.url, 'whoami_v1', {
      authorization: `Bearer ${await token({}, await signingKey('RS256', 'key-1'))}`,
    });
    expect(expired.headers['www-authenticate']).toContain('error_description="The access token expired"');
    expect(forged.headers['www-authenticate']).toContain('error_description="The access token is invalid"');
    expect(forged.body).not.toMatch(/signature|kid|issuer|audience/i);
  });

  it('missing scope, 2026-07-28 client: HTTP 403 insufficient_scope naming the scope, before any MCP handling', async () => {
    const runsBefore = handlerRuns.count;
    const res = await callTool(server.url, 'report_v1', {
      authorization: `Bearer ${await token({ scope: 'other' })}`,
    });
    expect(res.status).toBe(403);
    expect(res.headers['www-authenticate']).toBe(
      `Bearer error="insufficient_scope", scope="reports:read", resource_metadata="${METADATA_URL}"`,
    );
    expect(JSON.parse(res.body)).toMatchObject({
      error: 'FORBIDDEN',
      retryable: false,
      requestId: expect.any(String),
    });
    expect(res.body).toContain('reports:read');
    expect(handlerRuns.count).toBe(runsBefore);
  });

  it('a burst of unknown kids costs the identity provider at most one JWKS fetch per cooldown', async () => {
    const before = jwks.fetches();
    const stranger = await signingKey('RS256', 'stranger');
    const results = await Promise.all(
      Array.from({ length: 10 }, async (_, i) =>
        callTool(server.url, 'whoami_v1', {
          authorization: `Bearer ${await token({}, stranger, `stranger-${i}`)}`,
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(401));
    expect(jwks.fetches() - before).toBeLessThanOrEqual(1);
  });
});

// A 2026-07-28 client without the scope never reaches the tool (HTTP 403 above); a 2025 client names the tool
// only in the body, so it is refused in the tool result.
describe('jwt auth: scopes (a token without any, one with reports:read)', () => {
  scopeTests({
    url: () => server.url,
    without: async () => ({ authorization: `Bearer ${await token({ scope: '' })}` }),
    with: async () => ({ authorization: `Bearer ${await token({ scope: 'reports:read' })}` }),
    toolEra: 'legacy',
  });
});

describe('jwt auth: valid tokens reach the tool as their principal', () => {
  it.each(['modern', 'legacy'] as const)('%s client → sub and scopes from the token', async (era) => {
    const client = await connectClient(
      server.url,
      { authorization: `Bearer ${await token({ sub: 'user-42', scope: 'reports:read profile' })}` },
      { era },
    );
    const me = await client.callTool({ name: 'whoami_v1', arguments: {} });
    const scoped = await client.callTool({ name: 'report_v1', arguments: {} });
    await client.close();
    expect(me.structuredContent).toEqual({
      id: 'user-42',
      scopes: ['reports:read', 'profile'],
      source: 'jwt',
    });
    expect(scoped.structuredContent).toEqual({ ok: true });
  });

  it('scopes from an `scp` array (Okta, Entra ID) count too', async () => {
    const res = await callTool(server.url, 'report_v1', {
      authorization: `Bearer ${await token({ scope: undefined, scp: ['reports:read'] })}`,
    });
    expect(res.status).toBe(200);
    expect(res.body).toContain('"ok":true');
  });

  it('serves RFC 9728 metadata naming the authorization server, without credentials', async () => {
    const res = await fetch(new URL('/.well-known/oauth-protected-resource/mcp', server.url));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      resource: AUDIENCE,
      authorization_servers: [ISSUER],
      bearer_methods_supported: ['header'],
      scopes_supported: ['reports:read'],
    });
  });
});

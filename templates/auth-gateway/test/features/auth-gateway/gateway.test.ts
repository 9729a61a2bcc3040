import { exportSPKI, type JWTPayload, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, startHttpServer, type TestServer } from '../../helpers/http-server.js';
import { type SigningKey, signingKey, startJwksServer } from '../../helpers/jwks-server.js';
import { callTool } from '../../helpers/mcp-request.js';
import { handlerRuns, probes, scopeTests, whoami } from '../../helpers/probe-tools.js';

// Shaped like Cloud IAP: ES256 assertions in x-goog-iap-jwt-assertion, the user in the `email` claim.
const ISSUER = 'https://cloud.google.com/iap';
const AUDIENCE = '/projects/123/global/backendServices/456';
const ASSERTION_HEADER = 'x-goog-iap-jwt-assertion';
const SECRET = 'gateway-secret-that-only-the-gateway-knows';

const now = () => Math.floor(Date.now() / 1000);
const b64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

let gatewayKey: SigningKey;
let jwks: Awaited<ReturnType<typeof startJwksServer>>;
const servers: Record<'assertion' | 'secret' | 'restricted', TestServer> = {} as never;

/** An assertion the gateway would send, unless a case overrides a claim (`undefined` removes it) or the key. */
function assertion(claims: JWTPayload = {}, key = gatewayKey, kid = key.kid) {
  const payload = {
    sub: 'accounts.google.com:1',
    email: 'alice@example.com',
    iss: ISSUER,
    aud: AUDIENCE,
    exp: now() + 600,
  };
  return new SignJWT({ ...payload, ...claims })
    .setProtectedHeader({ alg: 'ES256', kid })
    .sign(key.privateKey);
}

beforeAll(async () => {
  gatewayKey = await signingKey('ES256', 'iap-1');
  jwks = await startJwksServer([gatewayKey.jwk]);
  servers.assertion = await startHttpServer(
    {
      GATEWAY_JWKS_URL: jwks.url,
      GATEWAY_ISSUER: ISSUER,
      GATEWAY_AUDIENCE: AUDIENCE,
      GATEWAY_ASSERTION_HEADER: ASSERTION_HEADER,
      GATEWAY_IDENTITY_CLAIM: 'email',
    },
    probes,
  );
  const secret = { GATEWAY_SECRET: SECRET, GATEWAY_SCOPES_HEADER: 'x-forwarded-scopes' };
  servers.secret = await startHttpServer(secret, probes);
  // The tests connect from 127.0.0.1: outside this range, as a request that bypassed the gateway would be.
  servers.restricted = await startHttpServer(
    { ...secret, GATEWAY_TRUSTED_PROXIES: '10.0.0.0/8, fd00::/8' },
    probes,
  );
});
afterAll(async () => {
  await Promise.all(Object.values(servers).map((server) => server.stop()));
  await jwks?.stop();
});

type Headers = Record<string, string | string[]>;

describe('gateway auth: hostile battery (every case must be rejected before any tool runs)', () => {
  const withSecret = { 'x-gateway-secret': SECRET };
  const cases: Array<{
    name: string;
    server: keyof typeof servers;
    /** The logged reason: proves the case failed on the check it targets, not on something incidental. */
    reason: string;
    headers: () => Promise<Headers>;
  }> = [
    {
      name: 'no headers at all',
      server: 'assertion',
      reason: 'no single gateway assertion',
      headers: async () => ({}),
    },
    {
      name: 'identity header without proof',
      server: 'assertion',
      reason: 'no single gateway assertion',
      headers: async () => ({ 'x-forwarded-user': 'alice@example.com' }),
    },
    {
      name: 'garbage assertion',
      server: 'assertion',
      reason: 'ERR_JWS_INVALID',
      headers: async () => ({ [ASSERTION_HEADER]: 'garbage' }),
    },
    {
      name: 'assertion from the wrong key (same kid)',
      server: 'assertion',
      reason: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
      headers: async () => ({ [ASSERTION_HEADER]: await assertion({}, await signingKey('ES256', 'iap-1')) }),
    },
    {
      name: 'assertion with alg: none',
      server: 'assertion',
      reason: 'ERR_JOSE_ALG_NOT_ALLOWED',
      headers: async () => ({
        [ASSERTION_HEADER]: `${b64url({ alg: 'none' })}.${b64url({ email: 'alice@example.com', iss: ISSUER, aud: AUDIENCE, exp: now() + 600 })}.`,
      }),
    },
    {
      name: 'HS256 assertion signed with the gateway public key',
      server: 'assertion',
      reason: 'ERR_JOSE_ALG_NOT_ALLOWED',
      headers: async () => {
        const secret = new TextEncoder().encode(await exportSPKI(gatewayKey.publicKey));
        const forged = await new SignJWT({
          email: 'alice@example.com',
          iss: ISSUER,
          aud: AUDIENCE,
          exp: now() + 600,
        })
          .setProtectedHeader({ alg: 'HS256', kid: gatewayKey.kid })
          .sign(secret);
        return { [ASSERTION_HEADER]: forged };
      },
    },
    {
      name: 'assertion from another issuer',
      server: 'assertion',
      reason: 'claim iss: check_failed',
      headers: async () => ({ [ASSERTION_HEADER]: await assertion({ iss: 'https://evil.test' }) }),
    },
    {
      name: 'assertion for another application (audience)',
      server: 'assertion',
      reason: 'claim aud: check_failed',
      headers: async () => ({
        [ASSERTION_HEADER]: await assertion({ aud: '/projects/123/global/backendServices/999' }),
      }),
    },
    {
      name: 'expired assertion',
      server: 'assertion',
      reason: 'assertion expired',
      headers: async () => ({ [ASSERTION_HEADER]: await assertion({ exp: now() - 60 }) }),
    },
    {
      name: 'not-yet-valid assertion',
      server: 'assertion',
      reason: 'claim nbf: check_failed',
      headers: async () => ({ [ASSERTION_HEADER]: await assertion({ nbf: now() + 60 }) }),
    },
    {
      name: 'assertion under an unknown kid',
      server: 'assertion',
      reason: 'ERR_JWKS_NO_MATCHING_KEY',
      headers: async () => ({ [ASSERTION_HEADER]: await assertion({}, gatewayKey, 'iap-unknown') }),
    },
    {
      name: 'assertion without the identity claim',
      server: 'assertion',
      reason: 'claim email: missing',
      headers: async () => ({ [ASSERTION_HEADER]: await assertion({ email: undefined }) }),
    },
    {
      name: 'two assertions (a client copy beside the gateway one)',
      server: 'assertion',
      reason: 'no single gateway assertion',
      headers: async () => ({
        [ASSERTION_HEADER]: [await assertion({ email: 'admin@example.com' }), await assertion()],
      }),
    },
    {
      name: 'identity header without the secret',
      server: 'secret',
      reason: 'no gateway secret',
      headers: async () => ({ 'x-forwarded-user': 'bob' }),
    },
    {
      name: 'wrong secret',
      server: 'secret',
      reason: 'wrong gateway secret',
      headers: async () => ({ 'x-gateway-secret': `${SECRET}-guess`, 'x-forwarded-user': 'bob' }),
    },
    {
      name: 'empty secret',
      server: 'secret',
      reason: 'wrong gateway secret',
      headers: async () => ({ 'x-gateway-secret': '', 'x-forwarded-user': 'bob' }),
    },
    {
      name: 'secret + trailing no-break space',
      server: 'secret',
      reason: 'wrong gateway secret',
      headers: async () => ({ 'x-gateway-secret': `${SECRET}\u00a0`, 'x-forwarded-user': 'bob' }),
    },
    {
      name: 'secret sent twice',
      server: 'secret',
      reason: 'wrong gateway secret',
      headers: async () => ({ 'x-gateway-secret': [SECRET, SECRET], 'x-forwarded-user': 'bob' }),
    },
    {
      name: 'valid secret, no identity',
      server: 'secret',
      reason: 'no single valid identity header',
      headers: async () => withSecret,
    },
    {
      name: 'valid secret, two identities (client copy + gateway copy)',
      server: 'secret',
      reason: 'no single valid identity header',
      headers: async () => ({ ...withSecret, 'x-forwarded-user': ['admin', 'bob'] }),
    },
    {
      name: 'valid secret and identity, from an untrusted address',
      server: 'restricted',
      reason: 'untrusted peer address',
      headers: async () => ({ ...withSecret, 'x-forwarded-user': 'bob' }),
    },
  ];

  it.each(cases)('$server: $name → 403', async ({ server: which, reason, headers }) => {
    const server = servers[which];
    const runsBefore = handlerRuns.count;
    const statuses: number[] = [];
    const onRejected = (event: { status: number }) => statuses.push(event.status);
    const sent = await headers();
    server.events.on('auth.rejected', onRejected);
    const res = await callTool(server.url, 'whoami_v1', sent as Record<string, string>);
    server.events.off('auth.rejected', onRejected);

    expect(res.status).toBe(403);
    expect(res.headers['www-authenticate']).toBeUndefined();
    const body = JSON.parse(res.body);
    expect(body).toMatchObject({
      error: 'UNAUTHENTICATED',
      message: 'This server accepts requests only through its API gateway.',
      retryable: false,
      requestId: expect.any(String),
    });
    expect(res.body).not.toContain(reason);
    expect(statuses).toEqual([403]);
    const line = server.logs.find((l) => l.msg === 'auth rejected' && l.requestId === body.requestId);
    expect(line?.reason).toBe(reason);
    expect(handlerRuns.count).toBe(runsBefore);
  });
});

describe('gateway auth: scopes (from the scopes header the gateway sets)', () => {
  const bob = { 'x-gateway-secret': SECRET, 'x-forwarded-user': 'bob' };
  scopeTests({
    url: () => servers.secret.url,
    without: async () => bob,
    with: async () => ({ ...bob, 'x-forwarded-scopes': 'reports:read' }),
  });
});

describe('gateway auth: proven identities reach the tool as their principal', () => {
  it.each(['modern', 'legacy'] as const)(
    'signed assertion, %s client → the claim, not the plain header',
    async (era) => {
      const headers = {
        [ASSERTION_HEADER]: await assertion({ scope: 'reports:read' }),
        'x-forwarded-user': 'admin@example.com',
      };
      const client = await connectClient(servers.assertion.url, headers, { era });
      const me = await client.callTool({ name: 'whoami_v1', arguments: {} });
      const scoped = await client.callTool({ name: 'report_v1', arguments: {} });
      await client.close();
      expect(me.structuredContent).toEqual({
        id: 'alice@example.com',
        scopes: ['reports:read'],
        source: 'gateway',
      });
      expect(scoped.structuredContent).toEqual({ ok: true });
    },
  );

  it('shared secret → the identity and scopes headers', async () => {
    const client = await connectClient(servers.secret.url, {
      'x-gateway-secret': SECRET,
      'x-forwarded-user': 'bob',
      'x-forwarded-scopes': 'reports:read',
    });
    const me = await client.callTool({ name: 'whoami_v1', arguments: {} });
    await client.close();
    expect(me.structuredContent).toEqual({ id: 'bob', scopes: ['reports:read'], source: 'gateway' });
  });

  it('from a trusted address the same request is accepted', async () => {
    const trusted = await startHttpServer(
      { GATEWAY_SECRET: SECRET, GATEWAY_TRUSTED_PROXIES: '10.0.0.0/8, 127.0.0.1' },
      { tools: [whoami] },
    );
    try {
      const res = await callTool(trusted.url, 'whoami_v1', {
        'x-gateway-secret': SECRET,
        'x-forwarded-user': 'bob',
      });
      expect(res.status).toBe(200);
      expect(res.body).toContain('"id":"bob"');
    } finally {
      await trusted.stop();
    }
  });

  it('unreachable gateway keys: 503 UNAVAILABLE (retryable)', async () => {
    const gone = await startJwksServer([gatewayKey.jwk]);
    await gone.stop();
    const orphan = await startHttpServer(
      { GATEWAY_JWKS_URL: gone.url, GATEWAY_ISSUER: ISSUER, GATEWAY_AUDIENCE: AUDIENCE },
      { tools: [whoami] },
    );
    try {
      const res = await callTool(orphan.url, 'whoami_v1', { 'x-gateway-assertion': await assertion() });
      expect(res.status).toBe(503);
      expect(JSON.parse(res.body)).toMatchObject({ error: 'UNAVAILABLE', retryable: true });
    } finally {
      await orphan.stop();
    }
  });
});

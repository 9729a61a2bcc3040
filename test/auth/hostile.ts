import { apiKey, jwt, nowSeconds, type SigningKey, signingKey } from './tokens.js';

/** One request the server must refuse before any MCP handling, and the reason it must log for it. */
export interface HostileCase {
  name: string;
  status: 400 | 401 | 403;
  reason: string;
  /** Built when sent, so time-bound claims (exp, nbf) are relative to the request, not to test collection. */
  headers: () => Record<string, string | string[]>;
  query?: string;
}

const NBSP = '\u00a0';
/** The RSA/EC public key as PEM: what an HS/RS confusion attacker uses as the HMAC secret. */
const publicPem = (key: SigningKey) => key.publicKey.export({ format: 'pem', type: 'spki' }).toString();

export function apiKeyCases(alice: ReturnType<typeof apiKey>, bob: ReturnType<typeof apiKey>): HostileCase[] {
  const wrong = apiKey('nobody').key;
  const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
  const malformed = 'malformed Authorization';
  return [
    { name: 'no credentials', status: 403, reason: 'no credentials', headers: () => ({}) },
    {
      name: 'empty Authorization header',
      status: 403,
      reason: 'empty authorization header',
      headers: () => ({ authorization: '' }),
    },
    {
      name: 'garbage Authorization header',
      status: 403,
      reason: 'unsupported authorization scheme',
      headers: () => ({ authorization: 'garbage' }),
    },
    { name: 'Bearer with garbage', status: 400, reason: malformed, headers: () => bearer('<script>') },
    { name: 'wrong key', status: 403, reason: 'unknown api key', headers: () => bearer(wrong) },
    {
      name: 'wrong key in X-API-Key',
      status: 403,
      reason: 'unknown api key',
      headers: () => ({ 'x-api-key': wrong }),
    },
    {
      name: 'valid key + one character',
      status: 403,
      reason: 'unknown api key',
      headers: () => bearer(`${alice.key}A`),
    },
    {
      name: 'valid key truncated',
      status: 403,
      reason: 'unknown api key',
      headers: () => bearer(alice.key.slice(0, -1)),
    },
    {
      name: 'the stored hash as the key',
      status: 403,
      reason: 'unknown api key',
      headers: () => bearer(alice.entry.split(':')[1] ?? ''),
    },
    {
      name: 'valid key + trailing whitespace (NBSP)',
      status: 400,
      reason: malformed,
      headers: () => bearer(`${alice.key}${NBSP}`),
    },
    {
      name: 'valid key in the query string',
      status: 400,
      reason: 'credential in query string',
      headers: () => ({}),
      query: `?api_key=${alice.key}`,
    },
    {
      name: 'valid key in the query string beside a valid header',
      status: 400,
      reason: 'credential in query string',
      headers: () => bearer(alice.key),
      query: `?key=${alice.key}`,
    },
    {
      name: 'valid keys in both headers',
      status: 400,
      reason: 'api key sent twice',
      headers: () => ({ ...bearer(alice.key), 'x-api-key': bob.key }),
    },
  ];
}

export function jwtCases(key: SigningKey, iss: string, aud: string): HostileCase[] {
  const claims = (over: Record<string, unknown> = {}) => ({
    sub: 'user-1',
    scope: 'reports:read',
    iss,
    aud,
    exp: nowSeconds() + 600,
    ...over,
  });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const signed = (over: Record<string, unknown> = {}, by = key, kid = key.kid) =>
    bearer(jwt(claims(over), { kind: 'pair', key: by, kid }));
  const impostor = signingKey(key.kid);
  return [
    { name: 'no credentials', status: 401, reason: 'no credentials', headers: () => ({}) },
    {
      name: 'empty Authorization header',
      status: 401,
      reason: 'no credentials',
      headers: () => ({ authorization: '' }),
    },
    {
      name: 'garbage Authorization header',
      status: 401,
      reason: 'unsupported authorization scheme',
      headers: () => ({ authorization: 'garbage' }),
    },
    { name: 'Bearer not a JWT', status: 401, reason: 'ERR_JWS_INVALID', headers: () => bearer('not.a.jwt') },
    {
      name: 'wrong signature (another key, same kid)',
      status: 401,
      reason: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
      headers: () => signed({}, impostor),
    },
    {
      name: 'alg: none',
      status: 401,
      reason: 'ERR_JOSE_ALG_NOT_ALLOWED',
      headers: () => bearer(jwt(claims(), { kind: 'none' })),
    },
    {
      name: 'HS256 signed with the RSA public key',
      status: 401,
      reason: 'ERR_JOSE_ALG_NOT_ALLOWED',
      headers: () => bearer(jwt(claims(), { kind: 'hs256', secret: publicPem(key) })),
    },
    {
      name: 'wrong issuer',
      status: 401,
      reason: 'claim iss: check_failed',
      headers: () => signed({ iss: 'https://evil.example/' }),
    },
    {
      name: 'wrong audience',
      status: 401,
      reason: 'claim aud: check_failed',
      headers: () => signed({ aud: 'https://other.example/mcp' }),
    },
    {
      name: 'expired',
      status: 401,
      reason: 'token expired',
      headers: () => signed({ exp: nowSeconds() - 120 }),
    },
    {
      name: 'not yet valid',
      status: 401,
      reason: 'claim nbf: check_failed',
      headers: () => signed({ nbf: nowSeconds() + 120 }),
    },
    { name: 'no exp', status: 401, reason: 'claim exp: missing', headers: () => signed({ exp: undefined }) },
    {
      // RFC 9068 §4: the provider signs ID tokens with the same keys; only access tokens (at+jwt) are accepted.
      name: 'typ JWT (an ID token, not an access token)',
      status: 401,
      reason: 'typ: not an accepted access token type (JWT_TOKEN_TYPES)',
      headers: () => bearer(jwt(claims(), { kind: 'pair', key, typ: 'JWT' })),
    },
    {
      name: 'unknown kid',
      status: 401,
      reason: 'ERR_JWKS_NO_MATCHING_KEY',
      headers: () => signed({}, signingKey('stranger'), 'stranger'),
    },
    {
      name: 'valid token in the query string',
      status: 400,
      reason: 'token in query string',
      headers: () => signed(),
      query: '?access_token=x',
    },
    {
      name: 'valid token + trailing whitespace (NBSP)',
      status: 400,
      reason: 'malformed authorization header',
      headers: () => ({ authorization: `${signed().authorization}${NBSP}` }),
    },
  ];
}

export interface GatewaySetup {
  key: SigningKey;
  iss: string;
  aud: string;
  header: string;
  secret: string;
}

/** Cases against the assertion-mode server (`assertion`), the secret-mode one (`secret`) and the restricted one. */
export function gatewayCases(
  g: GatewaySetup,
): Array<HostileCase & { server: 'assertion' | 'secret' | 'restricted' }> {
  const assertion = (over: Record<string, unknown> = {}, by = g.key, kid = g.key.kid) =>
    jwt(
      { email: 'alice@example.com', iss: g.iss, aud: g.aud, exp: nowSeconds() + 600, ...over },
      { kind: 'pair', key: by, kid },
    );
  const hsForged = () =>
    jwt(
      { email: 'alice@example.com', iss: g.iss, aud: g.aud, exp: nowSeconds() + 600 },
      { kind: 'hs256', secret: publicPem(g.key) },
    );
  const user = { 'x-forwarded-user': 'bob' };
  const a = 'assertion' as const;
  const s = 'secret' as const;
  return [
    {
      server: a,
      name: 'no headers',
      status: 403,
      reason: 'no single gateway assertion',
      headers: () => ({}),
    },
    {
      server: a,
      name: 'identity header without proof',
      status: 403,
      reason: 'no single gateway assertion',
      headers: () => ({ 'x-forwarded-user': 'alice@example.com' }),
    },
    {
      server: a,
      name: 'garbage assertion',
      status: 403,
      reason: 'ERR_JWS_INVALID',
      headers: () => ({ [g.header]: 'garbage' }),
    },
    {
      server: a,
      name: 'proof from the wrong key (same kid)',
      status: 403,
      reason: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
      headers: () => ({ [g.header]: assertion({}, signingKey(g.key.kid, 'ES256')) }),
    },
    {
      server: a,
      name: 'alg: none',
      status: 403,
      reason: 'ERR_JOSE_ALG_NOT_ALLOWED',
      headers: () => ({
        [g.header]: jwt({ email: 'alice@example.com', iss: g.iss, aud: g.aud }, { kind: 'none' }),
      }),
    },
    {
      server: a,
      name: 'HS256 signed with the gateway public key',
      status: 403,
      reason: 'ERR_JOSE_ALG_NOT_ALLOWED',
      headers: () => ({ [g.header]: hsForged() }),
    },
    {
      server: a,
      name: 'another issuer',
      status: 403,
      reason: 'claim iss: check_failed',
      headers: () => ({ [g.header]: assertion({ iss: 'https://evil.example' }) }),
    },
    {
      server: a,
      name: 'another application (audience)',
      status: 403,
      reason: 'claim aud: check_failed',
      headers: () => ({ [g.header]: assertion({ aud: 'other-app' }) }),
    },
    {
      server: a,
      name: 'expired',
      status: 403,
      reason: 'assertion expired',
      headers: () => ({ [g.header]: assertion({ exp: nowSeconds() - 120 }) }),
    },
    {
      server: a,
      name: 'not yet valid',
      status: 403,
      reason: 'claim nbf: check_failed',
      headers: () => ({ [g.header]: assertion({ nbf: nowSeconds() + 120 }) }),
    },
    {
      server: a,
      name: 'unknown kid',
      status: 403,
      reason: 'ERR_JWKS_NO_MATCHING_KEY',
      headers: () => ({ [g.header]: assertion({}, g.key, 'unknown') }),
    },
    {
      server: a,
      name: 'two assertions',
      status: 403,
      reason: 'no single gateway assertion',
      headers: () => ({ [g.header]: [assertion({ email: 'admin@example.com' }), assertion()] }),
    },
    {
      server: s,
      name: 'identity header without the secret',
      status: 403,
      reason: 'no gateway secret',
      headers: () => user,
    },
    {
      server: s,
      name: 'wrong secret',
      status: 403,
      reason: 'wrong gateway secret',
      headers: () => ({ ...user, 'x-gateway-secret': `${g.secret}x` }),
    },
    {
      server: s,
      name: 'secret + trailing whitespace (NBSP)',
      status: 403,
      reason: 'wrong gateway secret',
      headers: () => ({ ...user, 'x-gateway-secret': `${g.secret}${NBSP}` }),
    },
    {
      server: s,
      name: 'valid secret, no identity',
      status: 403,
      reason: 'no single valid identity header',
      headers: () => ({ 'x-gateway-secret': g.secret }),
    },
    {
      server: s,
      name: 'valid secret, two identities',
      status: 403,
      reason: 'no single valid identity header',
      headers: () => ({ 'x-gateway-secret': g.secret, 'x-forwarded-user': ['admin', 'bob'] }),
    },
    {
      server: 'restricted',
      name: 'valid proof from an untrusted address',
      status: 403,
      reason: 'untrusted peer address',
      headers: () => ({ ...user, 'x-gateway-secret': g.secret }),
    },
  ];
}

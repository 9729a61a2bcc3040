import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpServer } from '../../helpers/http-server.js';
import { type SigningKey, signingKey, startJwksServer } from '../../helpers/jwks-server.js';
import { callTool } from '../../helpers/mcp-request.js';
import { whoami } from '../../helpers/probe-tools.js';
import { AUDIENCE, ISSUER, now, signToken } from './identity-provider.js';

let signing: SigningKey;
let jwks: Awaited<ReturnType<typeof startJwksServer>>;
const token = (claims = {}, key = signing) => signToken(key, claims);

beforeAll(async () => {
  signing = await signingKey('RS256', 'key-1');
  jwks = await startJwksServer([signing.jwk]);
});
afterAll(() => jwks?.stop());

describe('jwt auth: signing keys', () => {
  it('a rotated-in key is picked up: an unknown kid refetches the JWKS once the cooldown has passed', async () => {
    const rotating = await startJwksServer([signing.jwk]);
    const rotated = await startHttpServer(
      { JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE, JWT_JWKS_URL: rotating.url, JWT_JWKS_COOLDOWN_MS: '0' },
      { tools: [whoami] },
    );
    try {
      const next = await signingKey('RS256', 'key-2');
      const before = await callTool(rotated.url, 'whoami_v1', {
        authorization: `Bearer ${await token({}, next)}`,
      });
      rotating.keys.push(next.jwk);
      const after = await callTool(rotated.url, 'whoami_v1', {
        authorization: `Bearer ${await token({}, next)}`,
      });
      expect([before.status, after.status]).toEqual([401, 200]);
    } finally {
      await rotated.stop();
      await rotating.stop();
    }
  });

  it('a token remembered as verified still stops working at its exp', async () => {
    const strict = await startHttpServer(
      { JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE, JWT_JWKS_URL: jwks.url, JWT_CLOCK_TOLERANCE_MS: '0' },
      { tools: [whoami] },
    );
    try {
      const exp = now() + 2;
      const headers = { authorization: `Bearer ${await token({ exp })}` };
      const fresh = await callTool(strict.url, 'whoami_v1', headers);
      const again = await callTool(strict.url, 'whoami_v1', headers);
      await new Promise((resolve) => setTimeout(resolve, exp * 1000 - Date.now() + 50));
      const stale = await callTool(strict.url, 'whoami_v1', headers);
      expect([fresh.status, again.status, stale.status]).toEqual([200, 200, 401]);
      const line = strict.logs.find(
        (l) => l.msg === 'auth rejected' && l.requestId === JSON.parse(stale.body).requestId,
      );
      expect(line?.reason).toBe('token expired');
    } finally {
      await strict.stop();
    }
  });

  it('unreachable keys: 503 UNAVAILABLE (retryable), not a 401 that would make clients drop good tokens', async () => {
    const gone = await startJwksServer([signing.jwk]);
    await gone.stop();
    const orphan = await startHttpServer(
      { JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE, JWT_JWKS_URL: gone.url },
      { tools: [whoami] },
    );
    try {
      const res = await callTool(orphan.url, 'whoami_v1', { authorization: `Bearer ${await token()}` });
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(JSON.parse(res.body)).toMatchObject({ error: 'UNAVAILABLE', retryable: true });
    } finally {
      await orphan.stop();
    }
  });
});

describe('jwt auth: HS256 shared secret', () => {
  const SECRET = 'a-shared-secret-of-at-least-32-characters!';
  const hs256 = (secret: string) =>
    new SignJWT({ sub: 'svc-billing' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(secret));

  it('accepts tokens signed with the secret; refuses another secret and RS256', async () => {
    const hs = await startHttpServer(
      { JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE, JWT_SECRET: SECRET },
      { tools: [whoami] },
    );
    try {
      const good = await callTool(hs.url, 'whoami_v1', { authorization: `Bearer ${await hs256(SECRET)}` });
      const otherSecret = await callTool(hs.url, 'whoami_v1', {
        authorization: `Bearer ${await hs256(`${SECRET}-but-another`)}`,
      });
      const rs256 = await callTool(hs.url, 'whoami_v1', { authorization: `Bearer ${await token()}` });
      expect(good.status).toBe(200);
      expect(good.body).toContain('svc-billing');
      expect([otherSecret.status, rs256.status]).toEqual([401, 401]);
    } finally {
      await hs.stop();
    }
  });
});

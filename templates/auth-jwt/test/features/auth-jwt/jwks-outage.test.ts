import { SignJWT } from 'jose';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startHttpServer, type TestServer } from '../../helpers/http-server.js';
import { type SigningKey, signingKey, startJwksServer } from '../../helpers/jwks-server.js';
import { callTool } from '../../helpers/mcp-request.js';
import { whoami } from '../../helpers/probe-tools.js';
import { AUDIENCE, ISSUER, now, signToken } from './identity-provider.js';

let signing: SigningKey;
beforeAll(async () => {
  signing = await signingKey('RS256', 'key-1');
});

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A JWKS endpoint and a server using it; every distinct `sub` is a token the verified-token cache has not seen. */
async function serve(env: Record<string, string> = {}) {
  const jwks = await startJwksServer([signing.jwk]);
  const server = await startHttpServer(
    { JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE, JWT_JWKS_URL: jwks.url, ...env },
    { tools: [whoami] },
  );
  cleanups.push(jwks.stop, server.stop);
  return { jwks, server };
}
const call = async (server: TestServer, sub: string) =>
  callTool(server.url, 'whoami_v1', { authorization: `Bearer ${await signToken(signing, { sub })}` });
const ready = async (server: TestServer) => (await fetch(new URL('/readyz', server.url))).status;

describe('jwt auth: an identity provider in trouble is not stormed, and does not take us down', () => {
  for (const status of [500, 429]) {
    it(`JWKS answering ${status}: 50 token requests and 20 /readyz cost one fetch per cooldown`, async () => {
      const { jwks, server } = await serve({ JWT_JWKS_COOLDOWN_MS: '60000' });
      jwks.failWith(status);
      const replies = await Promise.all(Array.from({ length: 50 }, (_, i) => call(server, `user-${i}`)));
      const probes = await Promise.all(Array.from({ length: 20 }, () => ready(server)));
      expect(new Set(replies.map((reply) => reply.status))).toEqual(new Set([503]));
      expect(new Set(probes)).toEqual(new Set([503]));
      expect(jwks.fetches()).toBe(1);
    });
  }

  it('keys past their max age keep verifying while the provider fails; refreshes back off; it heals', async () => {
    const { jwks, server } = await serve({ JWT_JWKS_COOLDOWN_MS: '1000', JWT_JWKS_MAX_AGE_MS: '100' });
    expect((await call(server, 'first')).status).toBe(200);
    expect(jwks.fetches()).toBe(1);

    jwks.failWith(500);
    // Past both the max age (100 ms) and the cooldown (1 s) since the first fetch: the next call may refresh.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    // Stale keys: each call may trigger a background refresh, but the cooldown lets at most one through per
    // second. On a busy machine the calls may span more than one cooldown, so the bound follows the clock.
    const failingSince = Date.now();
    const allowed = () => 1 + Math.ceil((Date.now() - failingSince) / 1_000);
    const during = await Promise.all(Array.from({ length: 30 }, (_, i) => call(server, `stale-${i}`)));
    expect(new Set(during.map((reply) => reply.status))).toEqual(new Set([200]));
    // The refresh runs in the background: wait for it to reach the provider, then check the storm stays bounded.
    await vi.waitFor(() => expect(jwks.fetches()).toBeGreaterThanOrEqual(2), {
      timeout: 2_000,
      interval: 20,
    });
    await Promise.all(Array.from({ length: 10 }, (_, i) => call(server, `stale-again-${i}`)));
    expect(jwks.fetches()).toBeLessThanOrEqual(allowed());
    const probe = await fetch(new URL('/readyz', server.url));
    expect(probe.status).toBe(200);
    expect(await probe.json()).toMatchObject({ status: 'degraded' });

    jwks.failWith();
    await vi.waitFor(
      async () => {
        await call(server, `heal-${Date.now()}`);
        expect(await (await fetch(new URL('/readyz', server.url))).json()).toMatchObject({ status: 'ready' });
      },
      { timeout: 5_000, interval: 100 },
    );
  });
});

describe('jwt auth: only access tokens (RFC 9068 typ at+jwt) with a JWKS', () => {
  const typed = (typ: string | undefined) =>
    new SignJWT({ sub: 'user-1', iss: ISSUER, aud: AUDIENCE, exp: now() + 300 })
      .setProtectedHeader({ alg: 'RS256', kid: signing.kid, ...(typ !== undefined && { typ }) })
      .sign(signing.privateKey);
  const status = async (server: TestServer, typ: string | undefined) =>
    (await callTool(server.url, 'whoami_v1', { authorization: `Bearer ${await typed(typ)}` })).status;

  it('refuses an ID token (typ JWT) and an untyped token; accepts at+jwt and application/at+jwt', async () => {
    const { server } = await serve();
    expect([
      await status(server, 'JWT'),
      await status(server, undefined),
      await status(server, 'at+jwt'),
      await status(server, 'application/AT+JWT'),
    ]).toEqual([401, 401, 200, 200]);
    const reasons = server.logs.filter((line) => line.msg === 'auth rejected').map((line) => line.reason);
    expect(reasons).toEqual(Array(2).fill('typ: not an accepted access token type (JWT_TOKEN_TYPES)'));
  });

  it('JWT_TOKEN_TYPES widens it for providers that mint typ JWT access tokens, or turns it off', async () => {
    const { server: widened } = await serve({ JWT_TOKEN_TYPES: 'at+jwt,JWT' });
    const { server: any } = await serve({ JWT_TOKEN_TYPES: 'any' });
    expect([await status(widened, 'JWT'), await status(widened, undefined)]).toEqual([200, 401]);
    expect(await status(any, undefined)).toBe(200);
  });
});

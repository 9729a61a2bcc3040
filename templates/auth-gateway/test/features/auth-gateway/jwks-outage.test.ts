import { SignJWT } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { startHttpServer } from '../../helpers/http-server.js';
import { signingKey, startJwksServer } from '../../helpers/jwks-server.js';
import { callTool } from '../../helpers/mcp-request.js';
import { whoami } from '../../helpers/probe-tools.js';

const ISSUER = 'https://gateway.example.test';
const AUDIENCE = 'mcp-server';
const HEADER = 'x-gateway-assertion';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('gateway auth: a failing JWKS endpoint is not stormed', () => {
  for (const status of [500, 429]) {
    it(`JWKS answering ${status}: 50 requests and 20 /readyz cost one fetch per cooldown`, async () => {
      const key = await signingKey('ES256', 'gw-1');
      const jwks = await startJwksServer([key.jwk]);
      const server = await startHttpServer(
        { GATEWAY_JWKS_URL: jwks.url, GATEWAY_ISSUER: ISSUER, GATEWAY_AUDIENCE: AUDIENCE },
        { tools: [whoami] },
      );
      cleanups.push(jwks.stop, server.stop);
      // Distinct users, so no assertion is answered from the verified-assertion cache.
      const signed = (sub: string) =>
        new SignJWT({ sub, iss: ISSUER, aud: AUDIENCE })
          .setProtectedHeader({ alg: 'ES256', kid: key.kid })
          .setExpirationTime('5m')
          .sign(key.privateKey);
      const call = async (sub: string) => callTool(server.url, 'whoami_v1', { [HEADER]: await signed(sub) });

      jwks.failWith(status);
      const replies = await Promise.all(Array.from({ length: 50 }, (_, i) => call(`user-${i}`)));
      const probes = await Promise.all(
        Array.from({ length: 20 }, async () => (await fetch(new URL('/readyz', server.url))).status),
      );
      expect(new Set(replies.map((reply) => reply.status))).toEqual(new Set([503]));
      expect(new Set(probes)).toEqual(new Set([503]));
      expect(jwks.fetches()).toBe(1);
    });
  }
});

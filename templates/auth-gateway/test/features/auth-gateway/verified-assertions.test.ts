import type { IncomingMessage } from 'node:http';
import { SignJWT } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { verifiedTokens } from '../../../src/core/verified-cache.js';
import { gatewayEnv } from '../../../src/features/auth-gateway/env.js';
import { assertionProof, type ProofResult } from '../../../src/features/auth-gateway/proof.js';
import { signingKey, startJwksServer } from '../../helpers/jwks-server.js';
import { recordingApp } from '../../helpers/recording-app.js';

const ISSUER = 'https://gateway.test';
const AUDIENCE = 'mcp-backend';

describe('verified gateway assertions', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
  });

  it('are remembered up to the bound: a gateway signing one per request evicts, each reported', async () => {
    const key = await signingKey('ES256', 'gw-1');
    const jwks = await startJwksServer([key.jwk]);
    cleanups.push(jwks.stop);
    const env = gatewayEnv.parse({
      GATEWAY_JWKS_URL: jwks.url,
      GATEWAY_ISSUER: ISSUER,
      GATEWAY_AUDIENCE: AUDIENCE,
    });
    const { app, evicted, logs } = recordingApp();
    // The feature's own cache (src/features/auth-gateway/index.ts), with a bound of 5 instead of 10,000.
    const cache = verifiedTokens<ProofResult>(app, 'auth-gateway-assertions', 5);
    const { proof } = assertionProof(jwks.url, env, cache);
    for (let i = 0; i < 20; i++) {
      const assertion = await new SignJWT({ sub: `user-${i}` })
        .setProtectedHeader({ alg: 'ES256', kid: key.kid })
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setExpirationTime('5m')
        .sign(key.privateKey);
      const req = { headersDistinct: { 'x-gateway-assertion': [assertion] } } as unknown as IncomingMessage;
      expect(await proof(req)).toMatchObject({ ok: true, id: `user-${i}` });
    }
    expect(cache.size).toBe(5);
    expect(evicted).toEqual(Array(15).fill('auth-gateway-assertions'));
    const warnings = logs.filter((line) => line.level === 'warn');
    expect(warnings.map((line) => line.msg)).toEqual([
      'in-memory store "auth-gateway-assertions" is full (5 verified tokens): forgetting its least recently used entries',
    ]);
  });
});

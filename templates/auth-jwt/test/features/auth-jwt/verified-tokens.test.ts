import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { verifiedTokens } from '../../../src/core/verified-cache.js';
import { jwtEnv } from '../../../src/features/auth-jwt/env.js';
import { tokenVerifier, type Verification } from '../../../src/features/auth-jwt/verify.js';
import { recordingApp } from '../../helpers/recording-app.js';

const ISSUER = 'https://issuer.test/';
const AUDIENCE = 'https://mcp.test/mcp';

describe('verified tokens', () => {
  it('are remembered up to the bound: distinct valid tokens past it evict, each reported', async () => {
    const secret = randomBytes(32).toString('base64url');
    const env = jwtEnv.parse({ JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE, JWT_SECRET: secret });
    const { app, evicted, logs } = recordingApp();
    // The feature's own cache (src/features/auth-jwt/index.ts), with a bound of 5 instead of 10,000.
    const cache = verifiedTokens<Verification>(app, 'auth-jwt-tokens', 5);
    const verifier = tokenVerifier(env, cache);
    for (let i = 0; i < 20; i++) {
      const token = await new SignJWT({ sub: `agent-${i}` })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setExpirationTime('5m')
        .sign(new TextEncoder().encode(secret));
      expect(await verifier.verify(token)).toMatchObject({ ok: true, subject: `agent-${i}` });
    }
    expect(cache.size).toBe(5);
    expect(evicted).toEqual(Array(15).fill('auth-jwt-tokens'));
    const warnings = logs.filter((line) => line.level === 'warn');
    expect(warnings.map((line) => line.msg)).toEqual([
      'in-memory store "auth-jwt-tokens" is full (5 verified tokens): forgetting its least recently used entries',
    ]);
  });
});

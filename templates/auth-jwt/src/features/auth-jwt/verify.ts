import { createRemoteJWKSet, errors, type JWTPayload, type JWTVerifyOptions, jwtVerify } from 'jose';
import { describeError } from '../../core/cause.js';
import type { ReadinessCheck } from '../../core/feature.js';
import { algorithmsOf, type JwtEnv } from './env.js';
import { VerifiedCache } from './verified-cache.js';

export type Verification =
  | { ok: true; subject: string; payload: JWTPayload }
  /** `unavailable`: the token could not be checked (keys unreachable), which says nothing about the token. */
  | { ok: false; reason: string; expired: boolean; unavailable: boolean };

const rejected = (reason: string, expired = false): Verification => ({
  ok: false,
  reason,
  expired,
  unavailable: false,
});

/** Maps jose's errors to a log reason (low-cardinality: it also labels the rejection metric). */
function failure(error: unknown): Verification {
  if (error instanceof errors.JWTExpired) return rejected('token expired', true);
  if (error instanceof errors.JWTClaimValidationFailed)
    return rejected(`claim ${error.claim}: ${error.reason}`);
  const keysUnreachable =
    !(error instanceof errors.JOSEError) ||
    error instanceof errors.JWKSTimeout ||
    error instanceof errors.JWKSInvalid ||
    error.code === errors.JOSEError.code;
  if (keysUnreachable) {
    return {
      ok: false,
      reason: `signing keys unavailable: ${(error as Error).message}`,
      expired: false,
      unavailable: true,
    };
  }
  return rejected(error.code);
}

export interface TokenVerifier {
  verify(token: string): Promise<Verification>;
  readiness: ReadinessCheck[];
}

/**
 * Verifies signature, `iss`, `aud` (this server, RFC 8707), `exp` and `nbf` (with a small clock tolerance),
 * with the algorithms pinned, so `alg: none` and an HS256 token "signed" with our RSA public key both fail.
 * A JWKS is cached; an unknown `kid` triggers at most one refetch per cooldown, so a flood of forged kids
 * cannot turn this server into a flood against the identity provider. Tokens that verified are remembered
 * for up to a minute (see VerifiedCache): agents send one token with many calls.
 */
export function tokenVerifier(env: JwtEnv): TokenVerifier {
  const options: JWTVerifyOptions = {
    issuer: env.JWT_ISSUER,
    audience: env.JWT_AUDIENCE,
    algorithms: algorithmsOf(env),
    clockTolerance: env.JWT_CLOCK_TOLERANCE_MS / 1000,
    // Without `exp` a leaked token works forever; without `sub` there is no one to name as the principal.
    requiredClaims: ['exp', 'sub'],
  };
  let check: (token: string) => Promise<{ payload: JWTPayload }>;
  const readiness: ReadinessCheck[] = [];
  if (env.JWT_JWKS_URL === undefined) {
    const secret = new TextEncoder().encode(env.JWT_SECRET);
    check = (token) => jwtVerify(token, secret, options);
  } else {
    const keys = createRemoteJWKSet(new URL(env.JWT_JWKS_URL), {
      cooldownDuration: env.JWT_JWKS_COOLDOWN_MS,
      timeoutDuration: 5_000,
    });
    check = (token) => jwtVerify(token, keys, options);
    readiness.push({
      name: 'jwks',
      async check() {
        try {
          if (!keys.fresh) await keys.reload();
          return { ok: true };
        } catch (error) {
          return { ok: false, detail: `cannot fetch ${env.JWT_JWKS_URL}: ${describeError(error)}` };
        }
      },
    });
  }
  const verified = new VerifiedCache<Verification>(60_000, 10_000);
  return {
    readiness,
    async verify(token) {
      const key = VerifiedCache.key(token);
      const cached = verified.get(key);
      if (cached !== undefined) return cached;
      try {
        const { payload } = await check(token);
        if (typeof payload.sub !== 'string' || payload.sub === '') return rejected('claim sub: not a string');
        const result: Verification = { ok: true, subject: payload.sub, payload };
        verified.set(key, result, (payload.exp ?? 0) * 1000);
        return result;
      } catch (error) {
        return failure(error);
      }
    },
  };
}

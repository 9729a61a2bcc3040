import { errors, type JWTHeaderParameters, type JWTPayload, type JWTVerifyOptions, jwtVerify } from 'jose';
import type { ReadinessCheck } from '../../core/feature.js';
import { JwksCache } from '../../core/jwks-cache.js';
import { VerifiedCache } from '../../core/verified-cache.js';
import { algorithmsOf, type JwtEnv } from './env.js';

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
 * With a JWKS, only access tokens (`typ: at+jwt`, RFC 9068) are accepted unless JWT_TOKEN_TYPES says otherwise.
 * The JWKS is cached (see JwksCache: at most one fetch per cooldown whatever the outcome, stale keys keep
 * verifying while the provider is down), so no traffic pattern turns into a flood against the identity
 * provider. Tokens that verified are remembered in `verified` for up to a minute (see VerifiedCache): agents
 * send one token with many calls.
 */
export function tokenVerifier(env: JwtEnv, verified: VerifiedCache<Verification>): TokenVerifier {
  const options: JWTVerifyOptions = {
    issuer: env.JWT_ISSUER,
    audience: env.JWT_AUDIENCE,
    algorithms: algorithmsOf(env),
    clockTolerance: env.JWT_CLOCK_TOLERANCE_MS / 1000,
    // Without `exp` a leaked token works forever; without `sub` there is no one to name as the principal.
    requiredClaims: ['exp', 'sub'],
  };
  const types = typesOf(env);
  let check: (token: string) => Promise<{ payload: JWTPayload; protectedHeader: JWTHeaderParameters }>;
  const readiness: ReadinessCheck[] = [];
  if (env.JWT_JWKS_URL === undefined) {
    const secret = new TextEncoder().encode(env.JWT_SECRET);
    check = (token) => jwtVerify(token, secret, options);
  } else {
    const keys = new JwksCache(new URL(env.JWT_JWKS_URL), {
      cooldownMs: env.JWT_JWKS_COOLDOWN_MS,
      maxAgeMs: env.JWT_JWKS_MAX_AGE_MS,
    });
    check = (token) => jwtVerify(token, keys.getKey, options);
    readiness.push({
      name: 'jwks',
      async check() {
        // Fetches only when no keys are held yet, and then only as often as the cooldown allows.
        if (!keys.status().usable) await keys.refresh();
        const { usable, lastError, ageMs } = keys.status();
        if (!usable) return { ok: false, detail: lastError ?? 'signing keys not fetched yet' };
        if (lastError === undefined) return { ok: true };
        const age = Math.round((ageMs ?? 0) / 1000);
        return { ok: true, degraded: true, detail: `verifying with keys fetched ${age} s ago; ${lastError}` };
      },
    });
  }
  return {
    readiness,
    async verify(token) {
      const key = VerifiedCache.key(token);
      const cached = verified.get(key);
      if (cached !== undefined) return cached;
      try {
        const { payload, protectedHeader } = await check(token);
        if (types !== undefined && !types.has(mediaType(protectedHeader.typ))) {
          return rejected('typ: not an accepted access token type (JWT_TOKEN_TYPES)');
        }
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

/**
 * RFC 7515 §4.1.9: `typ` is a media type that may omit its `application/` prefix, compared case-insensitively,
 * so `at+jwt` and `application/at+jwt` are the same type.
 */
function mediaType(typ: string | undefined): string {
  const type = (typ ?? '').toLowerCase();
  return type.startsWith('application/') ? type.slice('application/'.length) : type;
}

/**
 * The token types accepted, or undefined for any. With a JWKS the keys belong to an OAuth authorization server,
 * which also signs ID tokens and other JWTs with them: RFC 9068 §4 has resource servers accept only `at+jwt`.
 * With a shared secret the tokens come from the platform itself (not an OAuth server), so `typ` says nothing.
 */
function typesOf(env: JwtEnv): Set<string> | undefined {
  if (env.JWT_TOKEN_TYPES.includes('any')) return undefined;
  if (env.JWT_TOKEN_TYPES.length > 0) return new Set(env.JWT_TOKEN_TYPES.map((type) => mediaType(type)));
  return env.JWT_JWKS_URL === undefined ? undefined : new Set(['at+jwt']);
}

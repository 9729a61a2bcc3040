import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { errors, type JWTPayload, jwtVerify } from 'jose';
import type { ReadinessCheck } from '../../core/feature.js';
import { JwksCache } from '../../core/jwks-cache.js';
import { VerifiedCache } from '../../core/verified-cache.js';
import type { GatewayEnv } from './env.js';

/** Who the gateway says is calling, once its proof checks out; otherwise why not (for the log). */
export type ProofResult =
  | { ok: true; id: string; scopes: string[] }
  | { ok: false; reason: string; unavailable?: boolean };

export type Proof = (req: IncomingMessage) => Promise<ProofResult>;

/** A user id as gateways write it (e-mail, subject, account id): printable ASCII, at most 256 characters. */
const IDENTITY = /^[\x21-\x7e](?:[\x20-\x7e]{0,254}[\x21-\x7e])?$/;

const fail = (reason: string): ProofResult => ({ ok: false, reason });

/** Least time between two fetches of the gateway's keys (gateways rotate them rarely, and announce it). */
const JWKS_COOLDOWN_MS = 30_000;

/**
 * The one value of a header. Duplicates are refused, not joined: a client-sent copy beside the gateway's
 * (a gateway that appends instead of overwriting) must not smuggle in a second identity.
 */
function single(req: IncomingMessage, name: string): string | undefined {
  const values = req.headersDistinct[name];
  return values?.length === 1 ? values[0] : undefined;
}

function scopesOf(payload: JWTPayload): string[] {
  const values: unknown[] = [payload.scope, payload.scp].flatMap((claim) =>
    typeof claim === 'string' ? claim.split(' ') : Array.isArray(claim) ? claim : [],
  );
  return [...new Set(values.filter((value): value is string => typeof value === 'string' && value !== ''))];
}

/**
 * The gateway signs an assertion per request (Cloud IAP, Cloudflare Access, Envoy jwt_authn, ...): verify it
 * against the gateway's published keys with issuer, audience and algorithms pinned. The identity is the
 * claim inside the verified assertion; any plain identity header is ignored. Gateways resend one assertion
 * for a while, so a verified one is remembered in `verified` for up to a minute (see VerifiedCache).
 */
export function assertionProof(
  url: string,
  env: GatewayEnv,
  verified: VerifiedCache<ProofResult>,
): { proof: Proof; readiness: ReadinessCheck[] } {
  // At most one fetch per 30 s whatever the outcome, and held keys keep verifying while the endpoint fails.
  const keys = new JwksCache(new URL(url), { cooldownMs: JWKS_COOLDOWN_MS });
  const claim = env.GATEWAY_IDENTITY_CLAIM;
  const options = {
    issuer: env.GATEWAY_ISSUER,
    audience: env.GATEWAY_AUDIENCE,
    algorithms: env.GATEWAY_ALGORITHMS.length > 0 ? env.GATEWAY_ALGORITHMS : ['ES256', 'RS256'],
    clockTolerance: 5,
    requiredClaims: ['exp', claim],
  };
  const proof: Proof = async (req) => {
    const assertion = single(req, env.GATEWAY_ASSERTION_HEADER);
    if (assertion === undefined) return fail('no single gateway assertion');
    const key = VerifiedCache.key(assertion);
    const cached = verified.get(key);
    if (cached !== undefined) return cached;
    try {
      const { payload } = await jwtVerify(assertion, keys.getKey, options);
      const id = payload[claim];
      if (typeof id !== 'string' || !IDENTITY.test(id)) return fail(`claim ${claim}: not a user id`);
      const result: ProofResult = { ok: true, id, scopes: scopesOf(payload) };
      verified.set(key, result, (payload.exp ?? 0) * 1000);
      return result;
    } catch (error) {
      if (error instanceof errors.JWTExpired) return fail('assertion expired');
      if (error instanceof errors.JWTClaimValidationFailed)
        return fail(`claim ${error.claim}: ${error.reason}`);
      const reachable = error instanceof errors.JOSEError && error.code !== errors.JOSEError.code;
      if (reachable && !(error instanceof errors.JWKSTimeout) && !(error instanceof errors.JWKSInvalid)) {
        return fail(error.code);
      }
      return {
        ok: false,
        reason: `gateway keys unavailable: ${(error as Error).message}`,
        unavailable: true,
      };
    }
  };
  const readiness: ReadinessCheck = {
    name: 'gateway-jwks',
    async check() {
      // Fetches only when no keys are held yet, and then only as often as the cooldown allows.
      if (!keys.status().usable) await keys.refresh();
      const { usable, lastError, ageMs } = keys.status();
      if (!usable) return { ok: false, detail: lastError ?? 'gateway keys not fetched yet' };
      if (lastError === undefined) return { ok: true };
      const age = Math.round((ageMs ?? 0) / 1000);
      return { ok: true, degraded: true, detail: `verifying with keys fetched ${age} s ago; ${lastError}` };
    },
  };
  return { proof, readiness: [readiness] };
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/**
 * The gateway authenticates the user, then sends their id in a header together with a secret only it knows.
 * Secrets are compared as SHA-256 digests: equal lengths, so timingSafeEqual never throws and leaks nothing.
 */
export function secretProof(secret: string, env: GatewayEnv): Proof {
  const expected = sha256(secret);
  return async (req) => {
    const values = req.headersDistinct[env.GATEWAY_SECRET_HEADER];
    if (values === undefined) return fail('no gateway secret');
    const secret = values.length === 1 ? values[0] : undefined;
    if (secret === undefined || !timingSafeEqual(sha256(secret), expected))
      return fail('wrong gateway secret');
    const id = single(req, env.GATEWAY_USER_HEADER);
    if (id === undefined || !IDENTITY.test(id)) return fail('no single valid identity header');
    const scopes =
      env.GATEWAY_SCOPES_HEADER === undefined ? undefined : single(req, env.GATEWAY_SCOPES_HEADER);
    return { ok: true, id, scopes: scopes?.split(/[\s,]+/).filter(Boolean) ?? [] };
  };
}

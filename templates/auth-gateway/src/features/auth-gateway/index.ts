import type { App, FeatureModule, ReadinessCheck } from '../../core/feature.js';
import { requireScopes } from '../../core/scopes.js';
import { verifiedTokens } from '../../core/verified-cache.js';
import { addressList, isTrusted } from './addresses.js';
import { type GatewayEnv, gatewayEnv } from './env.js';
import { assertionProof, type Proof, secretProof } from './proof.js';
import { rejecter } from './reject.js';

/** The configured proof. The env schema already requires exactly one; this keeps a gap from failing open. */
function chooseProof(env: GatewayEnv, app: App): { proof: Proof; readiness: ReadinessCheck[] } {
  if (env.GATEWAY_JWKS_URL !== undefined)
    return assertionProof(env.GATEWAY_JWKS_URL, env, verifiedTokens(app, 'auth-gateway-assertions'));
  if (env.GATEWAY_SECRET !== undefined) return { proof: secretProof(env.GATEWAY_SECRET, env), readiness: [] };
  throw new Error('auth-gateway: set GATEWAY_JWKS_URL or GATEWAY_SECRET');
}

/**
 * Behind an API gateway that already authenticates users: the gateway's word is taken only with proof that
 * the request came through it (a signed assertion, or a shared secret), optionally only from its addresses.
 * Anything else is refused, so a request that reaches this server around the gateway gets nothing.
 */
export const authGateway: FeatureModule<typeof gatewayEnv> = {
  id: 'auth-gateway',
  // Over stdio the launching process is the client and is trusted: nothing to authenticate.
  transports: ['http'],
  env: gatewayEnv,
  setup(env, app) {
    const proxies =
      env.GATEWAY_TRUSTED_PROXIES.length > 0 ? addressList(env.GATEWAY_TRUSTED_PROXIES).list : undefined;
    const { proof, readiness } = chooseProof(env, app);
    const reject = rejecter(app);
    return {
      readiness,
      middleware: [requireScopes(app, 'the gateway did not grant it.')],
      authenticator: {
        async authenticate(req) {
          const peer = req.socket.remoteAddress;
          if (proxies !== undefined && !isTrusted(proxies, peer))
            return reject(403, 'untrusted peer address', peer);
          const result = await proof(req);
          if (!result.ok) return reject(result.unavailable ? 503 : 403, result.reason, peer);
          return { ok: true, principal: { id: result.id, scopes: result.scopes, source: 'gateway' } };
        },
      },
    };
  },
};

import { envelope } from '../../core/errors.js';
import type { FeatureModule } from '../../core/feature.js';
import { requireScopes } from '../../core/scopes.js';
import { verifiedTokens } from '../../core/verified-cache.js';
import { readBearerToken } from './bearer.js';
import { jwtEnv } from './env.js';
import { protectedResource } from './metadata.js';
import { rejecter } from './reject.js';
import { grantedScopes, scopeChallenge, TOKEN_ADVICE } from './scopes.js';
import { tokenVerifier } from './verify.js';

/**
 * OAuth 2.1 resource server: accepts access tokens issued for this server (its URL is the audience) by the
 * configured issuer. The token is verified and dropped here: it never reaches a tool, so it can never be
 * forwarded upstream (MCP forbids token passthrough; tools call other APIs with their own credentials).
 */
export const authJwt: FeatureModule<typeof jwtEnv> = {
  id: 'auth-jwt',
  // Over stdio the launching process is the client and is trusted: nothing to authenticate.
  transports: ['http'],
  env: jwtEnv,
  setup(env, app) {
    const verifier = tokenVerifier(env, verifiedTokens(app, 'auth-jwt-tokens'));
    const { routes, challenge } = protectedResource(env, app.tools);
    const reject = rejecter(app);
    return {
      routes,
      readiness: verifier.readiness,
      afterAuth: [scopeChallenge(app, challenge)],
      middleware: [requireScopes(app, TOKEN_ADVICE)],
      authenticator: {
        async authenticate(req) {
          const bearer = readBearerToken(req);
          if (bearer.kind === 'malformed') {
            const error = envelope('UNAUTHENTICATED', bearer.message);
            return reject(400, bearer.reason, error, {
              'www-authenticate': challenge({ error: 'invalid_request' }),
            });
          }
          if (bearer.kind === 'missing') {
            const message = `Authentication required: send an access token for ${env.JWT_AUDIENCE} as "Authorization: Bearer <token>".`;
            const error = envelope('UNAUTHENTICATED', message);
            return reject(401, bearer.reason, error, { 'www-authenticate': challenge() });
          }
          const result = await verifier.verify(bearer.token);
          if (result.ok) {
            return {
              ok: true,
              principal: { id: result.subject, scopes: grantedScopes(result.payload), source: 'jwt' },
            };
          }
          if (result.unavailable) {
            const message =
              'Tokens cannot be checked right now: the signing keys are unreachable. Retry shortly.';
            const error = envelope('UNAVAILABLE', message, { retryAfter: 5 });
            return reject(503, result.reason, error, { 'retry-after': '5' });
          }
          // Only "expired" is worth telling apart: the client can refresh. Anything else is just "invalid".
          const description = result.expired ? 'The access token expired' : 'The access token is invalid';
          const error = envelope('UNAUTHENTICATED', `${description}: get a new one for ${env.JWT_AUDIENCE}.`);
          const header = challenge({ error: 'invalid_token', error_description: description });
          return reject(401, result.reason, error, { 'www-authenticate': header });
        },
      },
    };
  },
};

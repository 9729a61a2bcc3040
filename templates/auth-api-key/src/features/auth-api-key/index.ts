import { z } from 'zod';
import type { App, Authenticator, FeatureModule } from '../../core/feature.js';
import { requireScopes } from '../../core/scopes.js';
import { readApiKey } from './credentials.js';
import { type ApiKey, findKey, loadKeys } from './keys.js';
import { rejecter } from './reject.js';

const env = z.object({
  API_KEYS: z
    .string()
    .transform((value, ctx) => {
      try {
        return loadKeys(value.trim());
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    })
    .describe(
      'name:sha256hex entries (comma-separated) or a keys file path; create one: npm run keys:new -- <name>',
    ),
});

function apiKeyAuthenticator(keys: readonly ApiKey[], app: App): Authenticator {
  const reject = rejecter(app);
  return {
    async authenticate(req) {
      const credential = readApiKey(req);
      if (credential.kind === 'malformed') {
        return reject(400, credential.reason, credential.message);
      }
      if (credential.kind === 'missing') {
        return reject(
          403,
          credential.reason,
          'Authentication required: send your API key as "Authorization: Bearer <key>" or "X-API-Key: <key>".',
        );
      }
      const key = findKey(keys, credential.key);
      if (key === undefined) return reject(403, 'unknown api key', 'The API key is not valid.');
      return { ok: true, principal: { id: key.name, scopes: key.scopes, source: 'api-key' } };
    },
  };
}

/** Static API keys: the server holds only their SHA-256 hashes, and each key names its principal. */
export const authApiKey: FeatureModule<typeof env> = {
  id: 'auth-api-key',
  // Over stdio the launching process is the client and is trusted: nothing to authenticate.
  transports: ['http'],
  env,
  setup(config, app) {
    app.logger.info({ keys: config.API_KEYS.map((key) => key.name) }, 'api keys loaded');
    return {
      authenticator: apiKeyAuthenticator(config.API_KEYS, app),
      middleware: [requireScopes(app, 'this API key was not given it.')],
    };
  },
};

import type { FeatureManifest } from '../core/feature.js';

/** Static API keys: the server stores only SHA-256 hashes; each key names its principal. */
export const authApiKey: FeatureManifest = {
  id: 'auth-api-key',
  title: 'API keys',
  hint: 'your own keys, stored as hashes; `npm run keys:new -- <name>` creates one',
  slot: 'auth',
  enabled: (a) => a.auth === 'api-key',
  devDependencies: { tsx: '^4.23.15' },
  scripts: { 'keys:new': 'tsx scripts/keys-new.ts' },
  env: [
    {
      name: 'API_KEYS',
      description:
        'Who may call: name:sha256hex entries, comma-separated (append :scope scope to limit a key), or the path of\n' +
        'a file with one entry per line. Holds hashes only; create a key with `npm run keys:new -- <name>`.',
      example: 'PASTE-THE-LINE-FROM-npm-run-keys:new',
      required: true,
    },
  ],
  module: { from: './features/auth-api-key/index.js', export: 'authApiKey' },
  nextSteps: () => [
    'API keys: `npm run keys:new -- <name>` prints a key and its API_KEYS entry; the server will not start without one.',
  ],
};

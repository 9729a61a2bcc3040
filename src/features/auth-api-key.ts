import { pmOf } from '../core/answers.js';
import type { FeatureManifest } from '../core/feature.js';
import { runScript } from '../core/package-manager.js';

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
  setup: (a) => [`${runScript(pmOf(a), 'keys:new', 'me')}  # paste the API_KEYS line it prints into .env`],
  nextSteps: () => [
    'API keys: one per caller (`keys:new` again with another name, entries comma-separated); clients send it as `Authorization: Bearer <key>`.',
  ],
};

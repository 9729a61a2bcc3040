/**
 * `npm run keys:new -- <name>`: prints a fresh API key once, and the API_KEYS entry that holds its hash.
 * The key itself is never written anywhere: hand it to its owner (or a secret manager) now.
 */
import { randomBytes } from 'node:crypto';
import { KEY_NAME, sha256 } from '../src/features/auth-api-key/keys.js';

const name = process.argv[2];
if (name === undefined || !KEY_NAME.test(name)) {
  console.error(
    'Usage: npm run keys:new -- <name>\n' +
      'The name identifies the caller in logs and limits: letters, digits and . _ @ - (at most 64 characters).',
  );
  process.exit(1);
}

// 256 random bits: guessing is hopeless, so a fast hash (SHA-256) is enough and no KDF is needed.
const key = `mcp_${randomBytes(32).toString('base64url')}`;
const entry = `${name}:${sha256(key).toString('hex')}`;

console.log(`API key for "${name}" (shown once, store it now):

  ${key}

Add this entry to API_KEYS (entries are comma-separated; in a keys file, one per line):

  ${entry}

To limit the key to scopes, append them: ${entry}:reports:read reports:write`);

import { randomBytes } from 'node:crypto';
import { sha256 } from '../../src/features/auth-api-key/keys.js';
import { tools } from '../../src/tools/index.js';

/** How this project's tests authenticate, whatever auth it was generated with (here: API keys). */
export interface TestAuth {
  /** The principal id the headers authenticate as. */
  principal: string;
  /** Environment variables that configure auth for a test server. */
  env: Record<string, string>;
  /** Headers that authenticate one request as `principal`, with every scope the project's tools declare. */
  headers(): Promise<Record<string, string>>;
}

// A fresh key per test run, granted every scope a tool declares, so feature tests can call every tool.
const key = `mcp_${randomBytes(32).toString('base64url')}`;
const scopes = [...new Set(tools.flatMap((tool) => tool.scopes ?? []))];
const entry = `test:${sha256(key).toString('hex')}${scopes.length > 0 ? `:${scopes.join(' ')}` : ''}`;

export const testAuth: TestAuth = {
  principal: 'test',
  env: { API_KEYS: entry },
  headers: async () => ({ authorization: `Bearer ${key}` }),
};

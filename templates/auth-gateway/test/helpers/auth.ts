import { randomBytes } from 'node:crypto';
import { tools } from '../../src/tools/index.js';

/** How this project's tests authenticate, whatever auth it was generated with (here: an API gateway). */
export interface TestAuth {
  /** The principal id the headers authenticate as. */
  principal: string;
  /** Environment variables that configure auth for a test server. */
  env: Record<string, string>;
  /** Headers that authenticate one request as `principal`, with every scope the project's tools declare. */
  headers(): Promise<Record<string, string>>;
}

// The shared-secret proof with a fresh secret per test run: the headers a gateway would add.
const secret = randomBytes(32).toString('base64url');
const scopes = [...new Set(tools.flatMap((tool) => tool.scopes ?? []))].join(' ');

export const testAuth: TestAuth = {
  principal: 'test',
  env: { GATEWAY_SECRET: secret, GATEWAY_SCOPES_HEADER: 'x-forwarded-scopes' },
  headers: async () => ({
    'x-gateway-secret': secret,
    'x-forwarded-user': 'test',
    'x-forwarded-scopes': scopes,
  }),
};

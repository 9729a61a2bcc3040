import { z } from 'zod';
import { list } from '../../core/env.js';
import { isSecureJwksUrl, JWKS_ALGORITHMS } from '../../core/jwks-cache.js';
import { addressList } from './addresses.js';

/** An HTTP header name, lowercased as Node presents incoming headers. */
const headerName = () =>
  z
    .string()
    .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/)
    .transform((name) => name.toLowerCase());

export const gatewayEnv = z
  .object({
    GATEWAY_JWKS_URL: z
      .url({ protocol: /^https?$/ })
      .optional()
      .describe("the URL of the gateway's signing keys (JWKS)"),
    GATEWAY_ISSUER: z.string().optional().describe('the `iss` of the gateway assertions'),
    GATEWAY_AUDIENCE: z.string().optional().describe('the `aud` the gateway writes for this application'),
    GATEWAY_ASSERTION_HEADER: headerName().default('x-gateway-assertion').describe('an HTTP header name'),
    GATEWAY_ALGORITHMS: list('comma-separated JWS algorithms, e.g. ES256,RS256'),
    GATEWAY_IDENTITY_CLAIM: z.string().default('sub').describe('the assertion claim that names the user'),
    GATEWAY_SECRET: z.string().min(32).optional().describe('a secret of at least 32 characters'),
    GATEWAY_SECRET_HEADER: headerName().default('x-gateway-secret').describe('an HTTP header name'),
    GATEWAY_USER_HEADER: headerName().default('x-forwarded-user').describe('an HTTP header name'),
    GATEWAY_SCOPES_HEADER: headerName().optional().describe('an HTTP header name'),
    GATEWAY_TRUSTED_PROXIES: list('comma-separated IP addresses or CIDR ranges, e.g. 10.0.0.0/8'),
  })
  .superRefine((env, ctx) => {
    const problem = (name: string, message: string) =>
      ctx.addIssue({ code: 'custom', path: [name], message });
    if ((env.GATEWAY_JWKS_URL === undefined) === (env.GATEWAY_SECRET === undefined)) {
      problem(
        'GATEWAY_JWKS_URL',
        'set exactly one of GATEWAY_JWKS_URL (the gateway signs an assertion) or GATEWAY_SECRET (the gateway sends a shared secret)',
      );
    }
    if (env.GATEWAY_JWKS_URL !== undefined) {
      if (!isSecureJwksUrl(env.GATEWAY_JWKS_URL))
        problem('GATEWAY_JWKS_URL', 'must be an https URL (http only for loopback)');
      // Without both, an assertion the same gateway signed for another application would be accepted here.
      if (env.GATEWAY_ISSUER === undefined) problem('GATEWAY_ISSUER', 'is required with GATEWAY_JWKS_URL');
      if (env.GATEWAY_AUDIENCE === undefined)
        problem('GATEWAY_AUDIENCE', 'is required with GATEWAY_JWKS_URL');
    }
    const refused = env.GATEWAY_ALGORITHMS.filter((alg) => !JWKS_ALGORITHMS.includes(alg));
    if (refused.length > 0) {
      problem(
        'GATEWAY_ALGORITHMS',
        `${refused.join(', ')} not allowed; choose from ${JWKS_ALGORITHMS.join(', ')}`,
      );
    }
    const { invalid } = addressList(env.GATEWAY_TRUSTED_PROXIES);
    if (invalid.length > 0)
      problem('GATEWAY_TRUSTED_PROXIES', `not an IP address or CIDR range: ${invalid.join(', ')}`);
  });

export type GatewayEnv = z.output<typeof gatewayEnv>;

import { z } from 'zod';
import { list, milliseconds } from '../../core/env.js';
import { isSecureJwksUrl, JWKS_ALGORITHMS } from '../../core/jwks-cache.js';

/** Verified with the shared secret. Never beside JWKS_ALGORITHMS: that mix is the HS/RS confusion attack. */
const SYMMETRIC = ['HS256', 'HS384', 'HS512'];

export const jwtEnv = z
  .object({
    JWT_ISSUER: z.string().describe('the `iss` your authorization server writes into its tokens'),
    JWT_AUDIENCE: z
      .url({ protocol: /^https?$/ })
      .describe(
        "this server's public MCP URL, which tokens must name as `aud` (e.g. https://mcp.example.com/mcp)",
      ),
    JWT_JWKS_URL: z
      .url({ protocol: /^https?$/ })
      .optional()
      .describe('the URL of your authorization server keys'),
    JWT_SECRET: z.string().min(32).optional().describe('a shared HS256 secret of at least 32 characters'),
    JWT_ALGORITHMS: list('comma-separated JWS algorithms, e.g. RS256,ES256'),
    JWT_AUTHORIZATION_SERVERS: list('comma-separated authorization server URLs'),
    JWT_CLOCK_TOLERANCE_MS: milliseconds(5_000),
    JWT_JWKS_COOLDOWN_MS: milliseconds(30_000),
    JWT_JWKS_MAX_AGE_MS: milliseconds(600_000),
    JWT_TOKEN_TYPES: list('comma-separated JWT `typ` values, e.g. at+jwt,JWT'),
  })
  .superRefine(
    (env, ctx) => {
      const problem = (name: string, message: string) =>
        ctx.addIssue({ code: 'custom', path: [name], message });
      // These rules run even when a variable above failed its own check (`when` below), so one start names every
      // problem; such a variable may be missing or still a raw string here, hence the careful reads.
      const jwksUrl = typeof env.JWT_JWKS_URL === 'string' ? env.JWT_JWKS_URL : undefined;
      const secret = typeof env.JWT_SECRET === 'string' ? env.JWT_SECRET : undefined;
      const algorithms = Array.isArray(env.JWT_ALGORITHMS) ? env.JWT_ALGORITHMS : [];
      const servers = Array.isArray(env.JWT_AUTHORIZATION_SERVERS) ? env.JWT_AUTHORIZATION_SERVERS : [];
      if ((jwksUrl === undefined) === (secret === undefined)) {
        problem(
          'JWT_JWKS_URL',
          'set exactly one of JWT_JWKS_URL (published signing keys) or JWT_SECRET (HS256 secret)',
        );
      }
      if (jwksUrl !== undefined && URL.canParse(jwksUrl) && !isSecureJwksUrl(jwksUrl)) {
        problem('JWT_JWKS_URL', 'must be an https URL (plain http is accepted for loopback only)');
      }
      const [allowed, keySource] =
        secret === undefined ? [JWKS_ALGORITHMS, 'JWT_JWKS_URL'] : [SYMMETRIC, 'JWT_SECRET'];
      const refused = algorithms.filter((alg) => !allowed.includes(alg));
      if (refused.length > 0) {
        problem(
          'JWT_ALGORITHMS',
          `${refused.join(', ')} cannot be used with ${keySource}; choose from ${allowed.join(', ')}`,
        );
      }
      const invalid = servers.filter((server) => !URL.canParse(server));
      if (invalid.length > 0)
        problem('JWT_AUTHORIZATION_SERVERS', `not absolute URLs: ${invalid.join(', ')}`);
    },
    { when: () => true },
  );

export type JwtEnv = z.output<typeof jwtEnv>;

/** The pinned algorithms: the configured ones, else the common default for the key source. */
export const algorithmsOf = (env: JwtEnv): string[] =>
  env.JWT_ALGORITHMS.length > 0 ? env.JWT_ALGORITHMS : env.JWT_SECRET === undefined ? ['RS256'] : ['HS256'];

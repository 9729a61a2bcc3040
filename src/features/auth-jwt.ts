import type { FeatureManifest } from '../core/feature.js';

/** OAuth 2.1 resource server: verifies access tokens (JWKS or HS256), serves RFC 9728 metadata, checks scopes. */
export const authJwt: FeatureManifest = {
  id: 'auth-jwt',
  title: 'JWT resource server (OAuth 2.1)',
  hint: 'tokens from your identity provider (JWKS) or platform (HS256): iss, aud, exp, scopes, RFC 9728',
  slot: 'auth',
  enabled: (a) => a.auth === 'jwt',
  dependencies: { jose: '^6.2.17' },
  env: [
    {
      name: 'JWT_ISSUER',
      description: 'The `iss` your authorization server writes into its tokens (exact match).',
      example: 'https://auth.example.com/',
      required: true,
    },
    {
      name: 'JWT_AUDIENCE',
      description:
        "This server's public MCP URL. Tokens must name it as `aud` (RFC 8707): a token for another API is refused.",
      example: 'https://mcp.example.com/mcp',
      required: true,
    },
    {
      name: 'JWT_JWKS_URL',
      description:
        "Your authorization server's signing keys (https). Cached; an unknown `kid` refetches at most once per\n" +
        'JWT_JWKS_COOLDOWN_MS. Set this or JWT_SECRET.',
      example: 'https://auth.example.com/.well-known/jwks.json',
    },
    {
      name: 'JWT_SECRET',
      description: 'Shared HS256 secret (at least 32 characters) for platforms that sign tokens themselves.',
      example: 'at-least-32-random-characters',
      secret: true,
    },
    {
      name: 'JWT_ALGORITHMS',
      description:
        'Pinned signature algorithms, comma-separated. Default RS256 with a JWKS, HS256 with a secret.',
      example: 'RS256,ES256',
    },
    {
      name: 'JWT_AUTHORIZATION_SERVERS',
      description:
        'Authorization servers named in /.well-known/oauth-protected-resource/mcp (default: JWT_ISSUER).',
      example: 'https://auth.example.com/',
    },
    {
      name: 'JWT_CLOCK_TOLERANCE_MS',
      description: 'Clock skew allowed when checking `exp` and `nbf`.',
      example: '5000',
      default: '5000',
    },
    {
      name: 'JWT_JWKS_COOLDOWN_MS',
      description:
        'Least time between two JWKS fetches, whatever their outcome (unknown key ids, stale keys, /readyz);\n' +
        'failed fetches back off exponentially from it (up to 5 minutes), honouring Retry-After.',
      example: '30000',
      default: '30000',
    },
    {
      name: 'JWT_JWKS_MAX_AGE_MS',
      description:
        'After this long the keys are refreshed in the background; until a refresh succeeds the keys held keep\n' +
        'verifying, so an identity provider outage does not refuse tokens signed by a key we already have.',
      example: '600000',
      default: '600000',
    },
    {
      name: 'JWT_TOKEN_TYPES',
      description:
        'Accepted JWT `typ` values. Default with JWT_JWKS_URL: at+jwt (RFC 9068 access tokens; keeps ID tokens\n' +
        'signed with the same keys out). Providers that mint access tokens as typ JWT (Entra ID, Keycloak): at+jwt,JWT;\n' +
        'without any typ (Cognito): any. Default with JWT_SECRET: any.',
      example: 'at+jwt',
    },
  ],
  module: { from: './features/auth-jwt/index.js', export: 'authJwt' },
  setup: () => [
    "# in .env: JWT_ISSUER, JWT_AUDIENCE (this server's /mcp URL), and JWT_JWKS_URL or JWT_SECRET",
  ],
  nextSteps: () => [
    'JWT: tokens come from your authorization server; clients find it at /.well-known/oauth-protected-resource/mcp.',
  ],
};

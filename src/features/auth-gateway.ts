import type { FeatureManifest } from '../core/feature.js';

/** Behind an API gateway: its identity is taken only with proof (a signed assertion or a shared secret). */
export const authGateway: FeatureManifest = {
  id: 'auth-gateway',
  title: 'Behind an API gateway',
  hint: 'reuse the auth your gateway already does (Cloud IAP, Cloudflare Access, Envoy, ...), trusted only with proof',
  slot: 'auth',
  enabled: (a) => a.auth === 'gateway',
  dependencies: { jose: '^6.2.17' },
  env: [
    {
      name: 'GATEWAY_JWKS_URL',
      description:
        "Proof 1, a signed assertion per request: the gateway's signing keys (https). Set this or GATEWAY_SECRET.\n" +
        'Cloud IAP: https://www.gstatic.com/iap/verify/public_key-jwk;\n' +
        'Cloudflare Access: https://<team>.cloudflareaccess.com/cdn-cgi/access/certs.',
      example: 'https://www.gstatic.com/iap/verify/public_key-jwk',
    },
    {
      name: 'GATEWAY_ISSUER',
      description: 'The `iss` of the assertions (required with GATEWAY_JWKS_URL).',
      example: 'https://cloud.google.com/iap',
    },
    {
      name: 'GATEWAY_AUDIENCE',
      description: 'The `aud` the gateway writes for this application (required with GATEWAY_JWKS_URL).',
      example: '/projects/PROJECT_NUMBER/global/backendServices/SERVICE_ID',
    },
    {
      name: 'GATEWAY_ASSERTION_HEADER',
      description:
        'The header carrying the assertion (Cloud IAP: x-goog-iap-jwt-assertion; Cloudflare: cf-access-jwt-assertion).',
      example: 'x-goog-iap-jwt-assertion',
      default: 'x-gateway-assertion',
    },
    {
      name: 'GATEWAY_ALGORITHMS',
      description: 'Pinned assertion signature algorithms, comma-separated.',
      example: 'ES256',
      default: 'ES256,RS256',
    },
    {
      name: 'GATEWAY_IDENTITY_CLAIM',
      description: 'The assertion claim that names the user (e.g. email).',
      example: 'email',
      default: 'sub',
    },
    {
      name: 'GATEWAY_SECRET',
      description:
        'Proof 2, a shared secret (at least 32 characters) the gateway adds to every request in GATEWAY_SECRET_HEADER,\n' +
        'beside the user id in GATEWAY_USER_HEADER. The gateway must overwrite both headers, never pass on client copies.',
      example: 'a-long-random-secret-shared-with-the-gateway',
      secret: true,
    },
    {
      name: 'GATEWAY_SECRET_HEADER',
      description: 'The header carrying the shared secret.',
      example: 'x-gateway-secret',
      default: 'x-gateway-secret',
    },
    {
      name: 'GATEWAY_USER_HEADER',
      description: 'The header carrying the user id (shared-secret proof only; assertions carry their own).',
      example: 'x-forwarded-user',
      default: 'x-forwarded-user',
    },
    {
      name: 'GATEWAY_SCOPES_HEADER',
      description:
        'Optional header with the granted scopes, space- or comma-separated (shared-secret proof only).',
      example: 'x-forwarded-scopes',
    },
    {
      name: 'GATEWAY_TRUSTED_PROXIES',
      description:
        "Optional: accept requests only from these addresses (the gateway's), comma-separated IPs or CIDRs.",
      example: '10.0.0.0/8',
    },
  ],
  module: { from: './features/auth-gateway/index.js', export: 'authGateway' },
  setup: () => [
    '# in .env: GATEWAY_JWKS_URL, GATEWAY_ISSUER and GATEWAY_AUDIENCE (signed assertions), or GATEWAY_SECRET',
  ],
  nextSteps: () => [
    'Gateway: only requests with the proof your gateway adds are served (README.md, "Authentication").',
  ],
};

import type { FeatureManifest } from '../core/feature.js';

export const rateLimitRedis: FeatureManifest = {
  id: 'rate-limit-redis',
  title: 'Rate-limit store: Redis',
  hint: 'one atomic Lua script on the Redis clock: limits hold in total across replicas',
  slot: 'rate-limit',
  enabled: (a) => a.rateLimit === 'redis',
  dependencies: { redis: '^6.3.1' },
  env: [
    {
      name: 'REDIS_URL',
      description: 'The Redis every replica shares for limits and budgets (redis:// or rediss:// for TLS).',
      example: 'redis://localhost:6379',
      required: true,
    },
    {
      name: 'REDIS_KEY_PREFIX',
      description:
        'Prefix of every key this server writes; give each server its own when they share a Redis.',
      example: 'mcp:limits:',
      default: 'mcp:limits:',
    },
    {
      name: 'REDIS_FAILURE_POLICY',
      description:
        'When Redis cannot answer: fail-open lets calls through unlimited (logged loudly, /readyz degraded);\n' +
        'fail-closed refuses them with UPSTREAM_UNAVAILABLE (/readyz 503). Either way it recovers by itself.',
      example: 'fail-open',
      default: 'fail-open',
    },
    {
      name: 'REDIS_TIMEOUT_MS',
      description:
        'Longest one Redis round trip may take before the failure policy applies (a call makes at most two).',
      example: '250',
      default: '250',
    },
  ],
  module: { from: './features/rate-limit-redis/index.js', export: 'rateLimitRedis' },
  nextSteps: () => [
    'Limits: set REDIS_URL (every replica the same). `npm test` starts its own redis-server: install it first.',
  ],
};

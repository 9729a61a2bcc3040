import type { FeatureManifest } from '../core/feature.js';

export const rateLimitRedis: FeatureManifest = {
  id: 'rate-limit-redis',
  title: 'Rate-limit store: Redis',
  slot: 'rate-limit',
  enabled: (a) => a.rateLimit === 'redis',
};

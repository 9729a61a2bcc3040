import type { FeatureManifest } from '../core/feature.js';

export const rateLimitMemory: FeatureManifest = {
  id: 'rate-limit-memory',
  title: 'Rate-limit store: memory',
  slot: 'rate-limit',
  enabled: (a) => a.rateLimit === 'memory',
};

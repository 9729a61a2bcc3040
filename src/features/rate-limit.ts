import type { FeatureManifest } from '../core/feature.js';

export const rateLimit: FeatureManifest = {
  id: 'rate-limit',
  title: 'Rate limits and call budgets',
  enabled: (a) => a.rateLimit !== 'none',
};

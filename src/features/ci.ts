import type { FeatureManifest } from '../core/feature.js';

export const ci: FeatureManifest = {
  id: 'ci',
  title: 'CI workflow',
  enabled: (a) => true,
};

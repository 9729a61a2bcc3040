import type { FeatureManifest } from '../core/feature.js';

export const metrics: FeatureManifest = {
  id: 'metrics',
  title: 'Prometheus metrics',
  enabled: (a) => a.metrics,
};

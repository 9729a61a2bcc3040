import type { FeatureManifest } from '../core/feature.js';

export const stdio: FeatureManifest = {
  id: 'stdio',
  title: 'stdio transport',
  slot: 'transport',
  enabled: (a) => a.transport !== 'http',
};

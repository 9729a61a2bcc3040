import type { FeatureManifest } from '../core/feature.js';

export const http: FeatureManifest = {
  id: 'http',
  title: 'Streamable HTTP transport',
  slot: 'transport',
  enabled: (a) => a.transport !== 'stdio',
};

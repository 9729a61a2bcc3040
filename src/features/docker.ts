import type { FeatureManifest } from '../core/feature.js';

export const docker: FeatureManifest = {
  id: 'docker',
  title: 'Dockerfile and compose',
  enabled: (a) => a.docker,
};

import type { FeatureManifest } from '../core/feature.js';

export const base: FeatureManifest = {
  id: 'base',
  title: 'Server core',
  enabled: (a) => true,
};

import type { FeatureManifest } from '../core/feature.js';

export const systemd: FeatureManifest = {
  id: 'systemd',
  title: 'systemd unit',
  enabled: (a) => a.systemd,
};

import type { FeatureManifest } from '../core/feature.js';

export const k8s: FeatureManifest = {
  id: 'k8s',
  title: 'Kubernetes manifests',
  enabled: (a) => a.k8s,
};

import type { FeatureManifest } from '../core/feature.js';

export const authGateway: FeatureManifest = {
  id: 'auth-gateway',
  title: 'Behind an API gateway',
  slot: 'auth',
  enabled: (a) => a.auth === 'gateway',
};

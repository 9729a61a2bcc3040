import type { FeatureManifest } from '../core/feature.js';

export const authApiKey: FeatureManifest = {
  id: 'auth-api-key',
  title: 'API keys',
  slot: 'auth',
  enabled: (a) => a.auth === 'api-key',
};

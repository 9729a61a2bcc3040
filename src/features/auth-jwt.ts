import type { FeatureManifest } from '../core/feature.js';

export const authJwt: FeatureManifest = {
  id: 'auth-jwt',
  title: 'JWT resource server (OAuth 2.1)',
  slot: 'auth',
  enabled: (a) => a.auth === 'jwt',
};

import type { FeatureManifest } from '../core/feature.js';
import { authApiKey } from './auth-api-key.js';
import { authGateway } from './auth-gateway.js';
import { authJwt } from './auth-jwt.js';
import { base } from './base.js';
import { ci } from './ci.js';
import { docker } from './docker.js';
import { http } from './http.js';
import { k8s } from './k8s.js';
import { metrics } from './metrics.js';
import { otel } from './otel.js';
import { rateLimit } from './rate-limit.js';
import { rateLimitMemory } from './rate-limit-memory.js';
import { rateLimitRedis } from './rate-limit-redis.js';
import { stdio } from './stdio.js';
import { systemd } from './systemd.js';

/**
 * Every feature, in composition order: this order is the order of `src/features.generated.ts`, so it is
 * the order features are set up in and the order their tool middleware wraps a call (outermost first):
 * tracing sees the whole call, metrics see limit rejections, limits run before the handler's deadline.
 */
export const FEATURES: readonly FeatureManifest[] = [
  base,
  otel,
  metrics,
  http,
  stdio,
  authApiKey,
  authJwt,
  authGateway,
  rateLimit,
  rateLimitMemory,
  rateLimitRedis,
  docker,
  systemd,
  k8s,
  ci,
];

export const enabledFeatures = (answers: Parameters<FeatureManifest['enabled']>[0]): FeatureManifest[] =>
  FEATURES.filter((feature) => feature.enabled(answers));

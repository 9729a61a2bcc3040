/**
 * Managed by create-prod-mcp: the feature modules this server is composed of, in setup order.
 * `create-prod-mcp add` and `create-prod-mcp update` rewrite this file; edit the feature folders instead.
 */
import { authJwt } from './features/auth-jwt/index.js';
import { http } from './features/http/index.js';
import { metrics } from './features/metrics/index.js';
import { otel } from './features/otel/index.js';
import { rateLimitRedis } from './features/rate-limit-redis/index.js';
import { stdio } from './features/stdio/index.js';

export const features = [otel, metrics, http, stdio, authJwt, rateLimitRedis] as const;

/**
 * Managed by create-prod-mcp: the feature modules this server is composed of, in setup order.
 * `create-prod-mcp add` and `create-prod-mcp update` rewrite this file; edit the feature folders instead.
 */
import { authApiKey } from './features/auth-api-key/index.js';
import { http } from './features/http/index.js';
import { rateLimitMemory } from './features/rate-limit-memory/index.js';
import { stdio } from './features/stdio/index.js';

export const features = [http, stdio, authApiKey, rateLimitMemory] as const;

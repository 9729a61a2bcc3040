import { z } from 'zod';
import { ConfigError } from '../../config.js';
import { positiveInt } from '../../core/env.js';
import type { FeatureModule } from '../../core/feature.js';
import { limitsEnv } from '../rate-limit/env.js';
import { createLimits, memoryStore } from '../rate-limit/limits.js';
import { createRedisClient } from './redis-client.js';
import { RedisHealth } from './redis-health.js';
import { RedisRateLimitStore } from './redis-store.js';
import { RedisTaskStore } from './task-store.js';

export const rateLimitRedisEnv = limitsEnv.extend({
  // Optional in the schema only because stdio does not need it; setup requires it for HTTP.
  REDIS_URL: z
    .url({ protocol: /^rediss?$/ })
    .optional()
    .describe('a redis:// or rediss:// URL such as redis://localhost:6379'),
  REDIS_KEY_PREFIX: z
    .string()
    .min(1)
    .default('mcp:limits:')
    .describe('a non-empty key prefix such as myapp:limits:'),
  REDIS_FAILURE_POLICY: z
    .enum(['fail-open', 'fail-closed'])
    .default('fail-open')
    .describe('fail-open or fail-closed'),
  REDIS_TIMEOUT_MS: positiveInt(250, 'a duration in milliseconds (at least 1)'),
  REPLICAS_HINT: positiveInt(1, 'a whole number of replicas (at least 1)'),
});

/** Limits shared by every replica through one Redis: the totals hold however many processes serve. */
export const rateLimitRedis: FeatureModule<typeof rateLimitRedisEnv> = {
  id: 'rate-limit-redis',
  env: rateLimitRedisEnv,
  async setup(env, app) {
    const logger = app.logger.child({ component: 'rate-limit-redis' });
    if (env.REDIS_URL === undefined) {
      if (app.transport === 'http') {
        throw new ConfigError([
          `REDIS_URL: expected ${rateLimitRedisEnv.shape.REDIS_URL.description}, but it is not set`,
        ]);
      }
      // A stdio server is spawned by its one client: there are no replicas to share counts with, so an MCP
      // client's config needs no Redis. Limits and budgets still hold, in this process.
      logger.info('stdio without REDIS_URL: rate limits and budgets are counted in process memory');
      return createLimits(memoryStore('calls', env, app), env, app);
    }
    const health = new RedisHealth(logger, app.events, env.REDIS_FAILURE_POLICY, env.REPLICAS_HINT);
    const client = createRedisClient(env.REDIS_URL);
    const store = await RedisRateLimitStore.connect(client, {
      keyPrefix: env.REDIS_KEY_PREFIX,
      timeoutMs: env.REDIS_TIMEOUT_MS,
      replicasHint: env.REPLICAS_HINT,
      health,
      fallback: memoryStore('redis-fallback', env, app),
    });
    // Tasks (tools that run as tasks) live in the same Redis, so any replica answers tasks/* for any task.
    const taskStore = await RedisTaskStore.connect(client, env.REDIS_KEY_PREFIX, logger);
    const limits = createLimits(store, env, app);
    return {
      ...limits,
      readiness: [store.readiness],
      taskStore,
      async close() {
        await taskStore.close();
        await limits.close?.();
      },
    };
  },
};

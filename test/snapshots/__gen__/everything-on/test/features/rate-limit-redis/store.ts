import { pino } from 'pino';
import { AppEventBus } from '../../../src/core/events.js';
import { memoryStore } from '../../../src/features/rate-limit/limits.js';
import { createRedisClient } from '../../../src/features/rate-limit-redis/redis-client.js';
import { type FailurePolicy, RedisHealth } from '../../../src/features/rate-limit-redis/redis-health.js';
import { RedisRateLimitStore } from '../../../src/features/rate-limit-redis/redis-store.js';

export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

/**
 * A Redis store wired as the feature wires it, with its log lines, health events and evictions captured for
 * asserts. `maxKeys` is RATE_LIMIT_MAX_KEYS: the bound of the in-memory fallback used while Redis is down.
 */
export async function redisStore(
  url: string,
  options: { policy?: FailurePolicy; timeoutMs?: number; replicasHint?: number; maxKeys?: number } = {},
) {
  const policy = options.policy ?? 'fail-open';
  const logs: LogLine[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => logs.push(JSON.parse(line)) });
  const events = new AppEventBus();
  const health: boolean[] = [];
  events.on('dependency.health', (event) => health.push(event.ok));
  const evicted: string[] = [];
  events.on('store.evicted', (event) => evicted.push(event.store));
  const store = await RedisRateLimitStore.connect(createRedisClient(url), {
    keyPrefix: 'test:limits:',
    // Only reports slow replies: the store waits for them whatever this says.
    timeoutMs: options.timeoutMs ?? 250,
    replicasHint: options.replicasHint ?? 1,
    health: new RedisHealth(logger, events, policy, options.replicasHint ?? 1),
    fallback: memoryStore(
      'redis-fallback',
      { RATE_LIMIT_MAX_KEYS: options.maxKeys ?? 50_000 },
      { events, logger },
    ),
  });
  return { store, logs, health, evicted };
}

import { inject } from 'vitest';

/**
 * What this project's features need to start in a test, beyond what each test passes: the Redis that
 * test/features/rate-limit-redis/global-setup.ts started for this run.
 */
export const featureTestEnv = (): Record<string, string> => ({ REDIS_URL: inject('redisUrl') });

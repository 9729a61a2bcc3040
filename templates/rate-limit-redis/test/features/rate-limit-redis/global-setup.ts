import type { TestProject } from 'vitest/node';
import { startRedis } from './redis-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The Redis every test server of this run uses unless a test brings its own (test/helpers/feature-env.ts). */
    redisUrl: string;
  }
}

/**
 * The Redis store is required configuration, so every test that starts the whole server needs a Redis.
 * One throwaway redis-server serves the run; tests that kill or freeze Redis start their own.
 */
export default async function startRunRedis(project: TestProject): Promise<() => Promise<void>> {
  const redis = await startRedis();
  project.provide('redisUrl', redis.url);
  return () => redis.stop();
}

import type { FeatureModule } from '../../core/feature.js';
import { limitsEnv } from '../rate-limit/env.js';
import { createLimits, memoryStore } from '../rate-limit/limits.js';

/** Limits counted in this process's memory: exact for one replica; several replicas need `rate-limit-redis`. */
export const rateLimitMemory: FeatureModule<typeof limitsEnv> = {
  id: 'rate-limit-memory',
  env: limitsEnv,
  setup: (env, app) => createLimits(memoryStore('calls', env, app), env, app),
};

import { rateLimitRedis } from '../../../src/features/rate-limit-redis/index.js';
import { serve } from '../../../src/lifecycle.js';
import { transportsOnly } from '../../fixtures/features.js';
import { jobV1 } from './task-replicas.js';

/**
 * A replica as production runs it (the real lifecycle: signals, drain, exit), with tasks in Redis and the
 * long job fixture, for tests that kill or stop the process running a task. Limits are left off.
 */
await serve({ tools: [jobV1] }, [...transportsOnly, rateLimitRedis]);

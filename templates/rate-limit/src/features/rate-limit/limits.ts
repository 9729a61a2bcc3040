import { evictionReporter } from '../../core/bounded-map.js';
import type { App, FeatureRuntime } from '../../core/feature.js';
import type { RateLimitStore } from '../../core/rate-limit.js';
import { authFailureLimit } from './auth-failures.js';
import { edgeLimit } from './edge-limit.js';
import type { LimitsEnv } from './env.js';
import { MemoryRateLimitStore } from './memory-store.js';
import { toolLimits } from './tool-limits.js';

/**
 * The limits, given a store. This folder is shared code, not a feature of its own: each backend
 * (`rate-limit-memory`, `rate-limit-redis`) is the feature module — it builds its store and returns this
 * runtime — so switching backend swaps one folder and one line of `features.generated.ts`.
 */
export function createLimits(store: RateLimitStore, env: LimitsEnv, app: App): FeatureRuntime {
  const edgeStore = memoryStore('edge', env, app);
  const runtime: FeatureRuntime = {
    middleware: [
      toolLimits(
        store,
        {
          perMinute: env.RATE_LIMIT_PER_MINUTE,
          budget: env.CALL_BUDGET,
          callerBudget: env.CALLER_BUDGET,
          budgetWindowMs: env.CALL_BUDGET_WINDOW_SECONDS * 1000,
        },
        app.events,
      ),
    ],
    async close() {
      await Promise.all([store.close(), edgeStore.close()]);
    },
  };
  if (env.EDGE_RATE_LIMIT_PER_MINUTE > 0) {
    runtime.beforeAuth = [authFailureLimit(edgeStore, env.EDGE_RATE_LIMIT_PER_MINUTE, app)];
    const edge = edgeLimit(edgeStore, env.EDGE_RATE_LIMIT_PER_MINUTE, app.events);
    runtime.afterAuth = [edge.middleware];
    runtime.batchGuards = [edge.batchGuard];
  }
  return runtime;
}

/** A memory store of at most RATE_LIMIT_MAX_KEYS keys that says when it forgets one: an event and a sampled warning. */
export function memoryStore(
  name: string,
  env: Pick<LimitsEnv, 'RATE_LIMIT_MAX_KEYS'>,
  app: Pick<App, 'events' | 'logger'>,
): MemoryRateLimitStore {
  return new MemoryRateLimitStore(undefined, {
    maxKeys: env.RATE_LIMIT_MAX_KEYS,
    onEvict: evictionReporter(app, `rate-limit-${name}`, `RATE_LIMIT_MAX_KEYS=${env.RATE_LIMIT_MAX_KEYS}`),
  });
}

import { z } from 'zod';
import { positiveInt } from '../../core/env.js';

/** A whole number of calls, where 0 turns that layer off (digits only, like every number in config.ts). */
const calls = (fallback: number) =>
  z
    .string()
    .regex(/^\d+$/)
    .transform(Number)
    .pipe(z.number().int().min(0))
    .default(fallback)
    .describe('a whole number of calls (0 turns this limit off)');

/**
 * The limits every rate-limit backend reads (each is described in .env.example and the README). The backends
 * extend this schema with their own variables.
 */
export const limitsEnv = z.object({
  RATE_LIMIT_PER_MINUTE: calls(60),
  CALL_BUDGET: calls(1000),
  CALL_BUDGET_WINDOW_SECONDS: positiveInt(3600, 'a number of seconds (at least 1)'),
  CALLER_BUDGET: calls(10_000),
  EDGE_RATE_LIMIT_PER_MINUTE: calls(600),
  RATE_LIMIT_MAX_KEYS: positiveInt(50_000, 'a number of keys (at least 1)'),
});

export type LimitsEnv = z.output<typeof limitsEnv>;

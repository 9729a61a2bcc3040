import type { FeatureManifest } from '../core/feature.js';

/**
 * Shared limiter code (`src/features/rate-limit/`): per-tool sliding-window limits, per-run call budgets and
 * the HTTP flood guard. It has no runtime module of its own: the chosen backend (memory or Redis) is the
 * feature module, builds its store and hands it to `createLimits`.
 */
export const rateLimit: FeatureManifest = {
  id: 'rate-limit',
  title: 'Rate limits and call budgets',
  hint: 'per-tool sliding window, per-run call budget, HTTP flood guard; structured RATE_LIMITED/BUDGET_EXHAUSTED',
  enabled: (a) => a.rateLimit !== 'none',
  env: [
    {
      name: 'RATE_LIMIT_PER_MINUTE',
      description:
        'Calls per minute one caller may make to one tool (all its versions together); a tool can set its own\n' +
        '`rateLimitPerMinute`. Over it the call returns RATE_LIMITED with retryAfter. 0 turns it off.',
      example: '60',
      default: '60',
    },
    {
      name: 'CALL_BUDGET',
      description:
        'Tool calls one agent run may make within CALL_BUDGET_WINDOW_SECONDS (then BUDGET_EXHAUSTED).\n' +
        'A run is named by the X-Run-Id header or `_meta.runId`; calls without one share one budget per caller.\n' +
        '0 turns budgets off.',
      example: '1000',
      default: '1000',
    },
    {
      name: 'CALL_BUDGET_WINDOW_SECONDS',
      description: 'Length in seconds of the sliding window each run budget is counted over.',
      example: '3600',
      default: '3600',
    },
    {
      name: 'CALLER_BUDGET',
      description:
        'Tool calls one caller may make within CALL_BUDGET_WINDOW_SECONDS across all its runs (then\n' +
        'BUDGET_EXHAUSTED): run ids are chosen by the client, so this is the ceiling a new run id cannot reset.\n' +
        '0 turns it off.',
      example: '10000',
      default: '10000',
    },
    {
      name: 'EDGE_RATE_LIMIT_PER_MINUTE',
      description:
        'HTTP requests per minute per caller (principal, or IP when anonymous) on /mcp, counted per process;\n' +
        'over it: 429 + Retry-After before the body is parsed. A 2025-03-26 JSON-RPC batch counts each message.\n' +
        'The same number bounds failed authentications per client address (IPv6 /64) per minute: past it that\n' +
        'address gets 429 before its credentials are checked. 0 turns both off.',
      example: '600',
      default: '600',
    },
    {
      name: 'RATE_LIMIT_MAX_KEYS',
      description:
        'Most keys (caller × tool, run, address) an in-memory limit store holds; past it the least recently\n' +
        'used are forgotten, with a warning and a store.evicted event. Bounds memory whatever run IDs callers send.',
      example: '50000',
      default: '50000',
    },
  ],
};

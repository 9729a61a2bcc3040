import { pmOf } from '../core/answers.js';
import type { FeatureManifest } from '../core/feature.js';
import { runScript } from '../core/package-manager.js';

export const rateLimitRedis: FeatureManifest = {
  id: 'rate-limit-redis',
  title: 'Rate-limit store: Redis',
  hint: 'one atomic Lua script on the Redis clock: limits hold in total across replicas',
  slot: 'rate-limit',
  enabled: (a) => a.rateLimit === 'redis',
  dependencies: { redis: '^6.3.1' },
  env: [
    {
      name: 'REDIS_URL',
      description:
        'The Redis every replica shares for limits, budgets and tasks (redis:// or rediss:// for TLS).',
      example: 'redis://localhost:6379',
      required: true,
    },
    {
      name: 'REDIS_KEY_PREFIX',
      description:
        'Prefix of every key this server writes; give each server its own when they share a Redis.',
      example: 'mcp:limits:',
      default: 'mcp:limits:',
    },
    {
      name: 'REDIS_FAILURE_POLICY',
      description:
        "When Redis is down: fail-open enforces REPLICAS_HINT's share of every limit in each replica's memory\n" +
        '(logged loudly, /readyz degraded); fail-closed refuses calls with UPSTREAM_UNAVAILABLE (/readyz 503).\n' +
        'Either way it recovers by itself when Redis answers again.',
      example: 'fail-open',
      default: 'fail-open',
    },
    {
      name: 'REDIS_TIMEOUT_MS',
      description:
        'A Redis reply slower than this is reported (a warning at most every 30 s). The call still waits for it,\n' +
        'up to its own deadline: a slow reply never turns a refusal into an allowance. Redis counts as down when\n' +
        'the connection drops or 3 checks in a row fail.',
      example: '250',
      default: '250',
    },
    {
      name: 'REPLICAS_HINT',
      description:
        "How many replicas serve (your Deployment's replicas, or the HPA maximum). While Redis is down under\n" +
        'fail-open each replica enforces 1/REPLICAS_HINT of every limit and budget in memory.',
      example: '2',
      default: '1',
    },
  ],
  module: { from: './features/rate-limit-redis/index.js', export: 'rateLimitRedis' },
  setup: () => ['# in .env: REDIS_URL of a running Redis (every replica the same)'],
  nextSteps: (a) => [
    `Limits: in Redis, shared by every replica. \`${runScript(pmOf(a), 'test')}\` starts its own redis-server: install it first.`,
  ],
};

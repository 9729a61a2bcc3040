import { describe, expect, test } from 'vitest';
import { render } from '../core/render.js';
import { resolveAnswers } from '../core/validate.js';
import { rateLimit } from './rate-limit.js';
import { rateLimitMemory } from './rate-limit-memory.js';
import { rateLimitRedis } from './rate-limit-redis.js';

const project = (rateLimitChoice: 'none' | 'memory' | 'redis') =>
  render(resolveAnswers({ transport: 'http', auth: 'api-key', rateLimit: rateLimitChoice }, 'limits-demo'));

/** The variable names a zod object literal in a template declares (`  NAME: schema,` lines). */
const schemaKeys = (source: string | undefined) =>
  [...(source ?? '').matchAll(/^ {2}([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]);

describe('rate-limit manifests', () => {
  test('the shared limiter comes with either backend; exactly one backend module is composed', () => {
    for (const choice of ['memory', 'redis'] as const) {
      const tree = project(choice);
      expect(tree.has('src/features/rate-limit/limits.ts')).toBe(true);
      const generated = tree.get('src/features.generated.ts') ?? '';
      const [ours, other] =
        choice === 'memory' ? ['rateLimitMemory', 'rateLimitRedis'] : ['rateLimitRedis', 'rateLimitMemory'];
      expect(generated).toContain(`import { ${ours} } from './features/rate-limit-${choice}/index.js';`);
      expect(generated).not.toContain(other);
    }
    const none = [...project('none').keys()];
    expect(none.filter((path) => path.includes('features/rate-limit'))).toEqual([]);
  });

  test('the module each backend names is what its template exports', () => {
    for (const manifest of [rateLimitMemory, rateLimitRedis]) {
      const tree = project(manifest === rateLimitMemory ? 'memory' : 'redis');
      const from = manifest.module?.from.replace(/^\.\//, 'src/').replace(/\.js$/, '.ts') ?? '';
      expect(tree.get(from)).toContain(`export const ${manifest.module?.export}: FeatureModule`);
    }
    expect(rateLimit.module).toBeUndefined();
  });

  test('every variable in .env.example is one the env schemas read, and every one they read is documented', () => {
    const memory = project('memory');
    const redis = project('redis');
    const shared = schemaKeys(memory.get('src/features/rate-limit/env.ts'));
    const redisOnly = schemaKeys(redis.get('src/features/rate-limit-redis/index.ts'));
    expect(rateLimit.env?.map((v) => v.name)).toEqual(shared);
    expect(rateLimitRedis.env?.map((v) => v.name)).toEqual(redisOnly);
    for (const name of shared) expect(memory.get('.env.example')).toMatch(new RegExp(`^${name}=`, 'm'));
    for (const name of [...shared, ...redisOnly])
      expect(redis.get('.env.example')).toMatch(new RegExp(`^${name}=`, 'm'));
    expect(memory.get('.env.example')).not.toContain('REDIS_URL');
  });

  test('Redis brings its client and its documentation; memory does not', () => {
    const redis = project('redis');
    const memory = project('memory');
    expect(JSON.parse(redis.get('package.json') ?? '{}').dependencies?.redis).toBe('^6.3.1');
    expect(JSON.parse(memory.get('package.json') ?? '{}').dependencies?.redis).toBeUndefined();
    expect(redis.get('README.md') ?? '').toContain('### Where limits are counted: Redis');
    expect(memory.get('README.md') ?? '').toContain('### Where limits are counted: process memory');
    expect(memory.get('README.md') ?? '').toContain('## Rate limits and call budgets');
  });
});

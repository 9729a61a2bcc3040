import { describe, expect, it } from 'vitest';
import type { Answers } from '../../src/core/answers.js';
import { createLock } from '../../src/core/lock.js';
import { sha256 } from '../../src/core/tree.js';
import { baseFiles, parseBaseSnapshot, resolveBase } from '../../src/update/base.js';
import { answersAfterAdd, answersAfterUpdate, describeChange } from '../../src/update/next-answers.js';
import { compareVersions } from '../../src/update/version.js';

const DEFAULTS: Answers = {
  name: 'demo',
  transport: 'both',
  auth: 'api-key',
  rateLimit: 'memory',
  docker: true,
  systemd: false,
  k8s: false,
  otel: false,
  metrics: false,
};
const STDIO: Answers = { ...DEFAULTS, transport: 'stdio', auth: 'none', rateLimit: 'none' };

describe('add <feature...> → answers', () => {
  it.each<[string[], Partial<Answers>]>([
    [['jwt'], { auth: 'jwt' }],
    [['gateway'], { auth: 'gateway' }],
    [['redis'], { rateLimit: 'redis' }],
    [['otel', 'metrics'], { otel: true, metrics: true }],
    [['k8s', 'systemd'], { k8s: true, systemd: true }],
    [['auth-jwt', 'rate-limit-redis', 'prometheus'], { auth: 'jwt', rateLimit: 'redis', metrics: true }],
    [['http', 'api-key', 'memory', 'docker'], {}],
  ])('%j on the defaults', (names, change) => {
    expect(answersAfterAdd(DEFAULTS, names)).toEqual({ ...DEFAULTS, ...change });
  });

  it('adds the other transport as "both"', () => {
    expect(answersAfterAdd(STDIO, ['http']).transport).toBe('both');
    expect(answersAfterAdd({ ...DEFAULTS, transport: 'http' }, ['stdio']).transport).toBe('both');
  });

  it('needs docker for k8s, and http for what only HTTP serves', () => {
    expect(() => answersAfterAdd({ ...DEFAULTS, docker: false }, ['k8s'])).toThrow('add docker k8s');
    expect(() => answersAfterAdd(STDIO, ['redis', 'metrics'])).toThrow(
      '`create-prod-mcp add http redis metrics`',
    );
    expect(answersAfterAdd(STDIO, ['http', 'redis'])).toEqual({
      ...STDIO,
      transport: 'both',
      rateLimit: 'redis',
    });
  });
});

describe('update --flags → answers', () => {
  it('changes only what the flags say', () => {
    expect(answersAfterUpdate(DEFAULTS, { auth: 'none', otel: true })).toEqual({
      ...DEFAULTS,
      auth: 'none',
      otel: true,
    });
  });

  it('narrowing to stdio turns off the HTTP-only answers unless a flag keeps one (then it is an error)', () => {
    const full = { ...DEFAULTS, metrics: true, systemd: true, k8s: true };
    expect(answersAfterUpdate(full, { transport: 'stdio' })).toEqual({
      ...STDIO,
      metrics: false,
      systemd: false,
      k8s: false,
    });
    expect(() => answersAfterUpdate(full, { transport: 'stdio', auth: 'jwt' })).toThrow(
      '--auth jwt needs the HTTP transport',
    );
  });

  it('describes the change as flags', () => {
    expect(describeChange(DEFAULTS, { ...DEFAULTS, auth: 'jwt', docker: false, otel: true })).toEqual([
      '--auth jwt',
      '--no-docker',
      '--otel',
    ]);
  });
});

describe('compareVersions', () => {
  it.each([
    ['0.0.1', '0.1.0', -1],
    ['1.10.0', '1.9.9', 1],
    ['1.0.0', '1.0.0', 0],
    ['1.0.0-beta.2', '1.0.0', -1],
    ['1.0.0-beta.10', '1.0.0-beta.2', 1],
    ['1.0.0-alpha', '1.0.0-beta', -1],
    ['2.0.0+build.7', '2.0.0', 0],
  ])('%s vs %s', (a, b, expected) => {
    expect(compareVersions(a, b)).toBe(expected);
  });
});

describe('the merge base', () => {
  const tree = new Map([
    ['README.md', '# demo\n'],
    ['Dockerfile', 'FROM node:24-slim\n'],
    ['package.json', '{}\n'],
    ['src/features.generated.ts', 'export const features = [];\n'],
    ['src/tools/echo/v1.ts', 'echo\n'],
  ]);
  const lock = createLock(DEFAULTS, tree);

  it('stores merged, structured and managed files, not seed files', () => {
    const snapshot = parseBaseSnapshot(baseFiles(tree).get('.prod-mcp/base.json'));
    expect([...snapshot.keys()]).toEqual(['Dockerfile', 'package.json', 'src/features.generated.ts']);
  });

  it('trusts a stored file only when it matches the lock, and falls back to re-rendering', () => {
    const snapshot = JSON.stringify({ files: { Dockerfile: 'FROM tampered\n', 'package.json': '{}\n' } });
    const base = resolveBase(lock, { snapshot, rerender: () => tree });
    expect(base.get('Dockerfile')).toBe('FROM node:24-slim\n');
    expect(base.get('package.json')).toBe('{}\n');
    expect(base.has('README.md')).toBe(false);
    const withoutRender = resolveBase(lock, { snapshot });
    expect(withoutRender.has('Dockerfile')).toBe(false);
    expect(sha256(withoutRender.get('package.json') ?? '')).toBe(lock.files['package.json']?.sha256);
  });

  it('ignores a snapshot that is not JSON', () => {
    expect(resolveBase(lock, { snapshot: 'not json' }).size).toBe(0);
  });
});

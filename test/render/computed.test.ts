import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, test } from 'vitest';
import { envExample } from '../../src/core/computed/env-example.js';
import {
  compareImportPaths,
  compareSegments,
  featuresGenerated,
} from '../../src/core/computed/features-generated.js';
import { packageJson } from '../../src/core/computed/package-json.js';
import { answers, feature } from './fixtures.js';

describe('package.json', () => {
  test('fixed fields first, then every enabled manifest merged with keys sorted', () => {
    const text = packageJson(answers({ name: 'weather' }), [
      feature('base', { scripts: { test: 'vitest run', build: 'tsc' }, dependencies: { zod: '^4.0.0' } }),
      feature('http', { dependencies: { '@modelcontextprotocol/node': '^2.1.2', zod: '^4.0.0' } }),
      feature('dev', { devDependencies: { typescript: '~5.9.3' } }),
    ]);
    expect(text.endsWith('}\n')).toBe(true);
    const pkg = JSON.parse(text);
    expect(Object.keys(pkg)).toEqual([
      'name',
      'version',
      'private',
      'type',
      'engines',
      'scripts',
      'dependencies',
      'devDependencies',
    ]);
    expect(pkg).toMatchObject({ name: 'weather', version: '0.1.0', private: true, type: 'module' });
    expect(pkg.engines).toEqual({ node: '>=22' });
    // `prod-mcp` runs the generator that made the project (version.ts): every hint says `npm run prod-mcp -- …`.
    expect(Object.keys(pkg.scripts)).toEqual(['build', 'prod-mcp', 'test']);
    expect(Object.keys(pkg.dependencies)).toEqual(['@modelcontextprotocol/node', 'zod']);
  });

  test('two features wanting different versions of one package is an error naming both', () => {
    expect(() =>
      packageJson(answers(), [
        feature('a', { dependencies: { zod: '^4.0.0' } }),
        feature('b', { dependencies: { zod: '^3.0.0' } }),
      ]),
    ).toThrow('package.json dependencies.zod: feature "a" wants "^4.0.0" but "b" wants "^3.0.0"');
  });
});

describe('.env.example', () => {
  test('grouped by feature title; required and defaulted live, other optional vars commented out', () => {
    const text = envExample([
      feature('base', {
        title: 'Server core',
        env: [
          { name: 'PORT', description: 'Port to listen on.', example: '3000', default: '3000' },
          { name: 'LOG_LEVEL', description: 'pino level.\nOne of: debug, info.', example: 'debug' },
        ],
      }),
      feature('quiet'),
      feature('auth-api-key', {
        title: 'API keys',
        env: [
          {
            name: 'API_KEYS',
            description: 'Hashes of the keys,\none per line.',
            example: 'sha256:...',
            required: true,
          },
        ],
      }),
    ]);
    expect(text).toBe(
      [
        '# Server core',
        '# Port to listen on.',
        'PORT=3000',
        '# pino level.',
        '# One of: debug, info.',
        '# LOG_LEVEL=debug',
        '',
        '# API keys',
        '# Hashes of the keys,',
        '# one per line. (required)',
        'API_KEYS=sha256:...',
        '',
      ].join('\n'),
    );
  });

  test('one variable declared by two features is an error', () => {
    const v = { name: 'X', description: 'x', example: '1' };
    expect(() => envExample([feature('a', { env: [v] }), feature('b', { env: [v] })])).toThrow(
      'X is declared by both "a" and "b"',
    );
  });
});

describe('src/features.generated.ts', () => {
  test('import order follows Biome: segment-wise, natural, case-insensitive', () => {
    const paths = [
      './f/rate-limit-memory/i.js',
      './f/rate-limit/i.js',
      './f/d10/i.js',
      './f/d9/i.js',
      './f/Z/i.js',
    ];
    expect([...paths].sort(compareImportPaths)).toEqual([
      './f/d9/i.js',
      './f/d10/i.js',
      './f/rate-limit/i.js',
      './f/rate-limit-memory/i.js',
      './f/Z/i.js',
    ]);
  });

  test('segments compare exactly as Intl.Collator (numeric, base) does, over printable ASCII', () => {
    // The generator writes its own comparison to avoid Intl.Collator's start-up cost; ICU is the oracle here.
    const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
    const alphabet = Array.from({ length: 94 }, (_, i) => String.fromCharCode(33 + i)).filter(
      (c) => c !== '/',
    );
    let seed = 15;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const word = (): string =>
      Array.from({ length: next(5) }, () => alphabet[next(alphabet.length)]).join('');
    const disagreements: string[] = [];
    for (let i = 0; i < 20000; i++) {
      const [a, b] = [word(), word()];
      if (Math.sign(collator.compare(a, b)) !== Math.sign(compareSegments(a, b)))
        disagreements.push(`${a} ${b}`);
    }
    const pairs: [string, string][] = [
      ['d9', 'd10'],
      ['a-b', 'a_b'],
      ['x01', 'x1'],
      ['Rate', 'rate-limit'],
    ];
    for (const [a, b] of pairs)
      if (Math.sign(collator.compare(a, b)) !== Math.sign(compareSegments(a, b)))
        disagreements.push(`${a} ${b}`);
    expect(disagreements).toEqual([]);
  });

  const many = [
    'base',
    'otel',
    'metrics',
    'http',
    'stdio',
    'auth-jwt',
    'rate-limit',
    'rate-limit-memory',
    'rate-limit-redis',
  ].map((id) => {
    const name = id.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());
    return feature(id, { module: { from: `./features/${id}/index.js`, export: `${name}Feature` } });
  });

  test.each([
    ['short list (one line)', many.slice(0, 3)],
    ['long list (one entry per line)', many],
    ['no modules', [feature('base')]],
  ])('%s passes biome check untouched (the generated project’s settings)', async (_, features) => {
    const text = featuresGenerated(features);
    expect(text).toContain('Managed by create-prod-mcp');
    const dir = mkdtempSync(join(tmpdir(), 'prod-mcp-biome-'));
    writeFileSync(
      join(dir, 'biome.json'),
      JSON.stringify({
        formatter: { indentStyle: 'space', indentWidth: 2, lineWidth: 110 },
        javascript: { formatter: { quoteStyle: 'single' } },
        assist: { actions: { source: { organizeImports: 'on' } } },
      }),
    );
    writeFileSync(join(dir, 'features.generated.ts'), text);
    const biome = join(import.meta.dirname, '..', '..', 'node_modules', '.bin', 'biome');
    const result = await execa(biome, ['check', '--linter-enabled=false', 'features.generated.ts'], {
      cwd: dir,
      reject: false,
      all: true,
    });
    expect(result.all).toContain('Checked 1 file');
    expect(result.exitCode, result.all).toBe(0);
  });
});

describe('preloads', () => {
  test('the start script imports every enabled preload, in feature order; other scripts are untouched', () => {
    const pkg = JSON.parse(
      packageJson(answers(), [
        feature('base', { scripts: { start: 'node dist/main.js', dev: 'tsx src/main.ts' } }),
        feature('otel', { preload: './dist/features/otel/register.js' }),
        feature('other', { preload: './dist/x.js' }),
      ]),
    );
    expect(pkg.scripts).toEqual({
      dev: 'tsx src/main.ts',
      'prod-mcp': 'npx create-prod-mcp@0.2.0',
      start: 'node --import ./dist/features/otel/register.js --import ./dist/x.js dist/main.js',
    });
  });

  test('without preloads the start script stays as the base wrote it', () => {
    const pkg = JSON.parse(
      packageJson(answers(), [feature('base', { scripts: { start: 'node dist/main.js' } })]),
    );
    expect(pkg.scripts.start).toBe('node dist/main.js');
  });
});

import { readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Answers, AuthMode } from '../../src/core/answers.js';
import { render } from '../../src/core/render.js';
import { TEMPLATES_ROOT } from '../../src/core/templates.js';
import { authApiKey } from '../../src/features/auth-api-key.js';
import { authGateway } from '../../src/features/auth-gateway.js';
import { authJwt } from '../../src/features/auth-jwt.js';

const MODES = [
  { auth: 'api-key', manifest: authApiKey, schemaFiles: ['index.ts'] },
  { auth: 'jwt', manifest: authJwt, schemaFiles: ['env.ts'] },
  { auth: 'gateway', manifest: authGateway, schemaFiles: ['env.ts'] },
] as const;

const answers = (auth: AuthMode): Answers => ({
  name: 'demo',
  transport: 'http',
  auth,
  rateLimit: 'memory',
  docker: false,
  systemd: false,
  k8s: false,
  otel: false,
  metrics: false,
});

/** The variables a runtime env schema reads: the keys of its `z.object({ ... })`. */
function schemaKeys(id: string, files: readonly string[]): string[] {
  const text = files
    .map((file) => readFileSync(`${TEMPLATES_ROOT}${id}/src/features/${id}/${file}`, 'utf8'))
    .join('\n');
  return [...text.matchAll(/^ +([A-Z][A-Z0-9_]+): /gm)].map((match) => match[1] ?? '').sort();
}

describe.each(MODES)('--auth $auth', ({ auth, manifest, schemaFiles }) => {
  const tree = render(answers(auth));
  const id = manifest.id;

  it('documents exactly the variables its runtime reads (.env.example and config errors agree)', () => {
    const documented = (manifest.env ?? []).map((v) => v.name).sort();
    expect(documented).toEqual(schemaKeys(id, schemaFiles));
    const example = tree.get('.env.example') ?? '';
    for (const name of documented) expect(example).toMatch(new RegExp(`^#? ?${name}=`, 'm'));
  });

  it('is wired in: module listed, dependencies and scripts in package.json, README section present', () => {
    expect(tree.get('src/features.generated.ts')).toContain(`from '${manifest.module?.from}'`);
    const pkg = JSON.parse(tree.get('package.json') ?? '{}');
    expect(pkg.dependencies.jose).toBe(auth === 'api-key' ? undefined : '^6.2.17');
    expect(pkg.scripts['keys:new']).toBe(auth === 'api-key' ? 'tsx scripts/keys-new.ts' : undefined);
    expect(tree.get('README.md')).toMatch(/^## Authentication: /m);
  });

  it('emits only its own auth files, and every relative import in them resolves', () => {
    const others = MODES.filter((mode) => mode.auth !== auth).map((mode) => mode.manifest.id);
    const paths = [...tree.keys()];
    for (const other of others) expect(paths.filter((path) => path.includes(other))).toEqual([]);
    const mine = paths.filter(
      (path) => path.includes(id) || path === 'scripts/keys-new.ts' || path === 'test/helpers/auth.ts',
    );
    expect(mine.length).toBeGreaterThan(5);
    for (const path of mine) {
      for (const [, target] of (tree.get(path) ?? '').matchAll(/from '(\.{1,2}\/[^']+)\.js'/g)) {
        const resolved = posix.join(posix.dirname(path), `${target}.ts`);
        expect(tree.has(resolved), `${path} imports ${target}.js`).toBe(true);
      }
    }
  });
});

describe('auth off', () => {
  it('emits no auth feature files and no jose', () => {
    const tree = render(answers('none'));
    expect([...tree.keys()].filter((path) => /auth-(api-key|jwt|gateway)|keys-new/.test(path))).toEqual([]);
    expect(JSON.parse(tree.get('package.json') ?? '{}').dependencies.jose).toBeUndefined();
  });
});

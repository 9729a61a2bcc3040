import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, posix, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LOCK_FILE } from '../../src/core/lock.js';
import { CLEANUP_TIMEOUT, cleanup, cli, commitAll, createProject, read } from './project.js';

/**
 * Issue 11: add/update never leave a project that does not compile or start because a file that stays still
 * refers to one being deleted. A kept file importing a deleted file, and a structured value (a package.json
 * script) naming a deleted file or a removed dependency, are conflicts: exit 1, both kept, the reason printed.
 */

afterAll(cleanup, CLEANUP_TIMEOUT);

/** Every relative import of every .ts file under src/ and test/ that points at no file: what tsc would reject. */
function unresolvedImports(dir: string): string[] {
  const missing: string[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(join(dir, folder))) {
      const path = posix.join(folder, entry);
      if (statSync(join(dir, path)).isDirectory()) walk(path);
      else if (path.endsWith('.ts')) {
        for (const [, spec] of read(dir, path).matchAll(/from\s*'(\.{1,2}\/[^']+)'/g)) {
          const target = relative(dir, join(dir, dirname(path), (spec ?? '').replace(/\.js$/, '.ts')));
          if (!existsSync(join(dir, target))) missing.push(`${path} → ${target}`);
        }
      }
    }
  };
  for (const root of ['src', 'test']) walk(root);
  return missing;
}

describe('a kept file that imports a file being deleted', () => {
  it('add jwt after editing auth-api-key/index.ts: conflict, exit 1, the files it imports kept and tracked', async () => {
    const dir = await createProject([]);
    const edited = 'src/features/auth-api-key/index.ts';
    writeFileSync(join(dir, edited), `${read(dir, edited)}// my tweak\n`);
    commitAll(dir, 'tweak api-key');
    const run = await cli(['add', 'jwt', '--cwd', dir, '--no-install']);
    expect(run.code, run.output).toBe(1);
    expect(run.output).toMatch(
      /CONFLICT +src\/features\/auth-api-key\/index\.ts \(imports src\/features\/auth-api-key\/.*keys\.ts.*which `add jwt` would delete; kept both/,
    );
    expect(run.output).not.toMatch(/DELETE +src\/features\/auth-api-key\//);
    expect(run.output).toMatch(
      /KEPT +src\/features\/auth-api-key\/keys\.ts: kept, not deleted: src\/features\/auth-api-key\/index\.ts imports it/,
    );
    expect(read(dir, edited)).toContain('// my tweak');
    expect(unresolvedImports(dir)).toEqual([]);
    // Still tracked: turning api-key back on later merges with them instead of meeting strangers' files.
    const files = Object.keys(JSON.parse(read(dir, LOCK_FILE)).files);
    expect(files).toContain('src/features/auth-api-key/keys.ts');
    expect(files).toContain(edited);
    expect(read(dir, 'src/features.generated.ts')).toContain('auth-jwt');
  });

  it("the user's own file importing a feature file that add redis deletes", async () => {
    const dir = await createProject([]);
    writeFileSync(
      join(dir, 'src/mine.ts'),
      "export { default as limits } from './features/rate-limit-memory/index.js';\n",
    );
    commitAll(dir, 'my file');
    const run = await cli(['add', 'redis', '--cwd', dir, '--no-install']);
    expect(run.code, run.output).toBe(1);
    expect(run.output).toMatch(
      /CONFLICT +src\/mine\.ts \(imports src\/features\/rate-limit-memory\/index\.ts, which `add redis` would delete/,
    );
    expect(unresolvedImports(dir)).toEqual([]);
  });

  it('without such an import, the unmodified files of the old feature are deleted as before', async () => {
    const dir = await createProject([]);
    const run = await cli(['add', 'jwt', '--cwd', dir, '--no-install']);
    expect(run.code, run.output).toBe(0);
    expect(existsSync(join(dir, 'src/features/auth-api-key'))).toBe(false);
    expect(unresolvedImports(dir)).toEqual([]);
  });
});

describe('a structured value naming a deleted file or a removed dependency', () => {
  it('update --no-otel with an edited scripts.start that still preloads the OTel register: conflict', async () => {
    const dir = await createProject(['--otel']);
    const pkg = JSON.parse(read(dir, 'package.json'));
    expect(pkg.scripts.start).toContain('./dist/features/otel/register.js');
    pkg.scripts.start = `${pkg.scripts.start} --max-old-space-size=512`;
    writeFileSync(join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
    commitAll(dir, 'my start');
    const run = await cli(['update', '--no-otel', '--cwd', dir, '--no-install']);
    expect(run.code, run.output).toBe(1);
    expect(run.output).toMatch(
      /CONFLICT +package\.json \("scripts\.start" still refers to src\/features\/otel\/register\.ts, which `update` removes/,
    );
    const after = JSON.parse(read(dir, 'package.json'));
    expect(after.scripts.start).toBe(pkg.scripts.start);
    // The rest of the merge happened: the OTel dependencies are gone.
    expect(Object.keys(after.dependencies).filter((name) => name.startsWith('@opentelemetry/'))).toEqual([]);
  });

  it("a script of the user's naming a dependency the update removes", async () => {
    const dir = await createProject(['--otel']);
    const pkg = JSON.parse(read(dir, 'package.json'));
    pkg.scripts.trace = 'node --import @opentelemetry/instrumentation/hook.mjs dist/main.js';
    writeFileSync(join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
    commitAll(dir, 'my trace script');
    const run = await cli(['update', '--no-otel', '--cwd', dir, '--no-install']);
    expect(run.code, run.output).toBe(1);
    expect(run.output).toContain(
      '"scripts.trace" still refers to the @opentelemetry/instrumentation dependency',
    );
  });
});

import { createHash } from 'node:crypto';
import {
  cpSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { basename, join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LOCK_FILE } from '../../src/core/lock.js';
import { CLEANUP_TIMEOUT, cleanup, cli, commitAll, createProject, read, scratchDir } from './project.js';

/**
 * Issue 12, item 5 (CWE-59): add, update and create --force never write, move or delete through a symbolic
 * link that leads out of the project, and a hostile lock file never makes update touch a file the generator
 * did not generate. Every case checks the refusal names the path and the link, and that nothing changed:
 * neither the project nor the folder outside.
 */

afterAll(cleanup, CLEANUP_TIMEOUT);

/** Every entry under `root` without following links: path → file hash, `-> target` for a link, `/` for a folder. */
function snapshot(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder).sort()) {
      if (entry === '.git') continue;
      const full = join(folder, entry);
      const path = relative(root, full);
      const stats = lstatSync(full);
      if (stats.isSymbolicLink()) out.set(path, `-> ${readlinkSync(full)}`);
      else if (stats.isDirectory()) {
        out.set(path, '/');
        walk(full);
      } else out.set(path, createHash('sha256').update(readFileSync(full)).digest('hex'));
    }
  };
  walk(root);
  return out;
}

/** A folder outside the project holding one file, as an attacker's (or an unlucky user's) target. */
function outsideFolder(files: Record<string, string> = { 'keep.txt': 'outside\n' }): string {
  const dir = join(scratchDir('prod-mcp-outside-'), 'target');
  mkdirSync(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** Runs the command and asserts: refused (exit 2) naming `link`, and nothing changed anywhere. */
async function expectRefused(dir: string, outside: string, argv: string[], link: string) {
  const [project, target] = [snapshot(dir), snapshot(outside)];
  const run = await cli([...argv, '--cwd', dir, '--no-install']);
  expect(run.code, run.output).toBe(2);
  expect(run.output).toContain('Refusing to');
  expect(run.output).toContain(`${link} is a symbolic link to`);
  expect(run.output).toContain('nothing was written');
  expect(snapshot(dir)).toEqual(project);
  expect(snapshot(outside)).toEqual(target);
  return run;
}

describe('links that lead out of the project are refused, nothing touched', () => {
  it('a linked folder: add systemd would write the unit into deploy/ → elsewhere', async () => {
    const dir = await createProject([]);
    const outside = outsideFolder();
    symlinkSync(outside, join(dir, 'deploy'));
    commitAll(dir, 'deploy is a link');
    await expectRefused(dir, outside, ['add', 'systemd'], 'deploy');
  });

  it('a linked feature folder: add redis would delete the files its target holds', async () => {
    const dir = await createProject([]);
    const feature = 'src/features/rate-limit-memory';
    const outside = outsideFolder();
    cpSync(join(dir, feature), outside, { recursive: true });
    rmSync(join(dir, feature), { recursive: true });
    symlinkSync(outside, join(dir, feature));
    commitAll(dir, 'feature folder is a link');
    await expectRefused(dir, outside, ['add', 'redis'], feature);
    expect(readdirSync(outside).sort()).toEqual(['index.ts', 'keep.txt']);
  });

  it('a linked file: update --no-docker would delete Dockerfile and read its target', async () => {
    const dir = await createProject([]);
    const outside = outsideFolder({ Dockerfile: read(dir, 'Dockerfile') });
    rmSync(join(dir, 'Dockerfile'));
    symlinkSync(join(outside, 'Dockerfile'), join(dir, 'Dockerfile'));
    commitAll(dir, 'Dockerfile is a link');
    await expectRefused(dir, outside, ['update', '--no-docker'], 'Dockerfile');
  });

  it('a linked .prod-mcp/: add redis would replace the base.json it points at', async () => {
    const dir = await createProject([]);
    const outside = outsideFolder();
    cpSync(join(dir, '.prod-mcp'), outside, { recursive: true });
    rmSync(join(dir, '.prod-mcp'), { recursive: true });
    symlinkSync(outside, join(dir, '.prod-mcp'));
    commitAll(dir, '.prod-mcp is a link');
    await expectRefused(dir, outside, ['add', 'redis'], '.prod-mcp');
    // --dry-run reads before it prints: refused as well, so an outside file is never shown as a diff.
    const dry = await cli(['add', 'redis', '--cwd', dir, '--dry-run']);
    expect(dry.code).toBe(2);
    expect(dry.output).toContain('.prod-mcp is a symbolic link to');
  });

  it("a link to the project root's parent (deploy → ..) is refused", async () => {
    const dir = await createProject([]);
    const parent = join(dir, '..');
    symlinkSync('..', join(dir, 'deploy'));
    commitAll(dir, 'deploy links to the parent');
    await expectRefused(dir, parent, ['add', 'systemd'], 'deploy');
    expect(readdirSync(parent)).toEqual([basename(dir)]);
  });

  it('a project reached through a linked parent folder updates normally (the real root counts)', async () => {
    const dir = await createProject([]);
    const via = join(scratchDir('prod-mcp-via-'), 'link');
    symlinkSync(join(dir, '..'), via);
    const run = await cli(['add', 'redis', '--cwd', join(via, basename(dir)), '--no-install']);
    expect(run.code, run.output).toBe(0);
    expect(read(dir, 'src/features.generated.ts')).toContain('rate-limit-redis');
  });

  it('create --force into a folder whose deploy/ links elsewhere', async () => {
    const dir = join(scratchDir(), 'demo');
    mkdirSync(dir);
    const outside = outsideFolder();
    symlinkSync(outside, join(dir, 'deploy'));
    const [project, target] = [snapshot(dir), snapshot(outside)];
    // create throws its usage errors to the binary's handler (exit 2).
    await expect(
      cli([dir, '--yes', '--no-install', '--force', '--systemd', '--name', 'demo']),
    ).rejects.toThrow(/Refusing to write into .*deploy is a symbolic link to/s);
    expect(snapshot(dir)).toEqual(project);
    expect(snapshot(outside)).toEqual(target);
  });
});

describe('a hostile lock file never makes update touch what the generator did not write', () => {
  const withLockEntry = (dir: string, path: string, text: string) => {
    const lock = JSON.parse(read(dir, LOCK_FILE));
    lock.files[path] = { class: 'merged', sha256: createHash('sha256').update(text).digest('hex') };
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify(lock, null, 2));
  };

  it.each([
    ['an absolute path', (outside: string) => join(outside, 'keep.txt')],
    ['a path with ..', () => '../target/keep.txt'],
  ])('%s is refused before anything is read', async (_, pathOf) => {
    const dir = await createProject([]);
    const outside = outsideFolder();
    withLockEntry(dir, pathOf(outside), 'outside\n');
    commitAll(dir, 'hostile lock');
    const [project, target] = [snapshot(dir), snapshot(outside)];
    const run = await cli(['update', '--cwd', dir, '--no-install']);
    expect(run.code, run.output).toBe(2);
    expect(run.output).toContain('lists paths outside the project');
    expect(snapshot(dir)).toEqual(project);
    expect(snapshot(outside)).toEqual(target);
  });

  it('a path through a linked folder is refused (it would have been deleted: unmodified, no longer generated)', async () => {
    const dir = await createProject([]);
    const outside = outsideFolder();
    symlinkSync(outside, join(dir, 'vendor'));
    withLockEntry(dir, 'vendor/keep.txt', 'outside\n');
    commitAll(dir, 'hostile lock');
    await expectRefused(dir, outside, ['update'], 'vendor');
  });

  it('a file the generator never generates is left alone and dropped from the lock, whatever class it claims', async () => {
    const dir = await createProject([]);
    const mine = 'export const mine = 1;\n';
    mkdirSync(join(dir, 'src/tools/weather'), { recursive: true });
    writeFileSync(join(dir, 'src/mine.ts'), mine);
    writeFileSync(join(dir, 'src/tools/weather/v1.ts'), mine);
    withLockEntry(dir, 'src/mine.ts', mine);
    withLockEntry(dir, 'src/tools/weather/v1.ts', mine);
    commitAll(dir, 'hostile lock');
    const run = await cli(['update', '--cwd', dir, '--no-install']);
    expect(run.code, run.output).toBe(0);
    expect(run.output).not.toContain('DELETE');
    expect(run.output).toMatch(
      /src\/mine\.ts: left alone: the lock lists it, but create-prod-mcp [\d.]+ does not generate this path/,
    );
    expect(read(dir, 'src/mine.ts')).toBe(mine);
    expect(read(dir, 'src/tools/weather/v1.ts')).toBe(mine);
    expect(Object.keys(JSON.parse(read(dir, LOCK_FILE)).files)).not.toContain('src/mine.ts');
  });

  it('nor when the lock claims an older version and the stored base backs the claim', async () => {
    const dir = await createProject([]);
    const mine = 'export const mine = 1;\n';
    writeFileSync(join(dir, 'src/mine.ts'), mine);
    withLockEntry(dir, 'src/mine.ts', mine);
    const lock = JSON.parse(read(dir, LOCK_FILE));
    lock.generator.version = '0.0.1';
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify(lock, null, 2));
    const base = JSON.parse(read(dir, '.prod-mcp/base.json'));
    base.files['src/mine.ts'] = mine;
    writeFileSync(join(dir, '.prod-mcp/base.json'), JSON.stringify(base, null, 2));
    commitAll(dir, 'hostile lock and base');
    const run = await cli(['update', '--cwd', dir, '--no-install']);
    expect(run.code, run.output).toBe(0);
    expect(run.output).not.toContain('DELETE');
    expect(read(dir, 'src/mine.ts')).toBe(mine);
  });
});

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, test } from 'vitest';
import { render } from '../../src/core/render.js';
import { PRESETS } from './presets.js';

/**
 * Templates are pre-formatted: a generated project passes its own `biome check` untouched, so the bytes we hash
 * into the lock are the bytes the user keeps. The e2e projects check this too, but only after an install; this
 * catches a badly formatted template (typically after a merge) in seconds, with the generator's own Biome, which
 * is the version the generated package.json asks for.
 */
const BIOME = join(import.meta.dirname, '..', '..', 'node_modules', '.bin', 'biome');
const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

describe.each(Object.entries(PRESETS))('preset %s', (_preset, answers) => {
  test('passes its own biome check untouched', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'prod-mcp-format-'));
    dirs.push(dir);
    for (const [path, text] of render(answers)) {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), text);
    }
    const result = await execa(BIOME, ['check', '.'], { cwd: dir, reject: false, all: true });
    expect(result.exitCode, result.all).toBe(0);
  });
});

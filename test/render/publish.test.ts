import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, test } from 'vitest';
import { TEMPLATES_ROOT } from '../../src/core/templates.js';
import { ensureBuilt } from '../cli/run-cli.js';

/**
 * `npm publish` drops or renames some dotfiles (.gitignore becomes .npmignore, .npmrc is dropped), which is
 * why templates spell them with a leading `_`. These tests hold every template to that and check that the
 * package npm would publish carries every template file and the bin.
 */
const templateFiles = (): string[] =>
  readdirSync(TEMPLATES_ROOT, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath ?? '', entry.name).slice(TEMPLATES_ROOT.length));

beforeAll(ensureBuilt);

describe('publishing', () => {
  test('no template path segment starts with a dot (use `_`)', () => {
    const dotted = templateFiles().filter((path) =>
      path.split('/').some((segment) => segment.startsWith('.')),
    );
    expect(dotted).toEqual([]);
  });

  test('npm pack includes the bin and every template file', async () => {
    const root = join(import.meta.dirname, '..', '..');
    const { stdout } = await execa('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root });
    const packed = new Set(
      (JSON.parse(stdout) as [{ files: { path: string }[] }])[0].files.map((f) => f.path),
    );
    expect(packed.has('package.json')).toBe(true);
    expect(packed.has('dist/cli/index.js')).toBe(true);
    // The build's precompiled templates (src/core/handlebars.ts): without them every create compiles them all.
    expect(packed.has('dist/precompiled-templates.cjs')).toBe(true);
    const missing = templateFiles().filter((path) => !packed.has(`templates/${path}`));
    expect(missing).toEqual([]);
  });
});

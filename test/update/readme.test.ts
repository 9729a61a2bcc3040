import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { render } from '../../src/core/render.js';
import { resolveAnswers } from '../../src/core/validate.js';
import { FEATURES } from '../../src/features/index.js';
import { CLEANUP_TIMEOUT, cleanup, cli, commitAll, createProject, read } from './project.js';

/**
 * Issue 11: README.md follows the generator while unedited and is the user's once edited (as the docs say);
 * an edited README is offered the new feature's section as .prod-mcp/README-<feature>.md, with a line naming it.
 */

afterAll(cleanup, CLEANUP_TIMEOUT);

const title = (id: string) => FEATURES.find((feature) => feature.id === id)?.title ?? id;

describe('README.md on add / update', () => {
  it('unedited: rewritten for the new features (it documents jwt, not API keys)', async () => {
    const dir = await createProject([]);
    const run = await cli(['add', 'jwt', '--cwd', dir, '--no-install']);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toMatch(/UPDATE +README\.md/);
    expect(read(dir, 'README.md')).toBe(
      render(resolveAnswers({ auth: 'jwt', name: 'demo' }, 'demo')).get('README.md'),
    );
    expect(existsSync(join(dir, '.prod-mcp/README-auth-jwt.md'))).toBe(false);
  });

  it('edited: kept as is, the new section offered beside it and named, the old feature named', async () => {
    const dir = await createProject([]);
    const mine = `${read(dir, 'README.md')}\n## Our deployment\n\nOn the team cluster.\n`;
    writeFileSync(join(dir, 'README.md'), mine);
    commitAll(dir, 'my README');
    const run = await cli(['add', 'jwt', '--cwd', dir, '--no-install']);
    expect(run.code, run.output).toBe(0);
    expect(read(dir, 'README.md')).toBe(mine);
    const offered = read(dir, '.prod-mcp/README-auth-jwt.md');
    // The section is the one a fresh jwt project's README carries.
    const fresh = render(resolveAnswers({ auth: 'jwt', name: 'demo' }, 'demo')).get('README.md') ?? '';
    expect(offered.length).toBeGreaterThan(100);
    expect(fresh).toContain(offered.trim());
    expect(run.output).toMatch(/CREATE +\.prod-mcp\/README-auth-jwt\.md/);
    expect(run.output).toContain('README.md is yours (you edited it), so this run did not change it.');
    expect(run.output).toContain(`The section for ${title('auth-jwt')} is in .prod-mcp/README-auth-jwt.md`);
    expect(run.output).toContain(`It may still describe ${title('auth-api-key')}, now off`);
  });
});

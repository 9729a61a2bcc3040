import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { precompileSource, runtimeCompiles, usePrecompiled } from '../../src/core/handlebars.js';
import { precompiledKey, precompiledModule, type TemplateSpecs } from '../../src/core/precompiled.js';
import { render } from '../../src/core/render.js';
import { loadTemplates } from '../../src/core/templates.js';
import { allValidAnswers } from '../../src/core/validate.js';

/**
 * The build precompiles the templates (scripts/precompile-templates.mjs) so a create skips Handlebars' compiler.
 * Rendering from those specs must give exactly what compiling at render time gives, for every valid
 * combination, and must need no compile at all; a text the specs lack (edited after the build) still renders.
 */
const templates = loadTemplates();
const all = [...allValidAnswers()];

/** The module the build writes, loaded the way handlebars.ts loads it (require of a .cjs file). */
function builtSpecs(): TemplateSpecs {
  const file = join(mkdtempSync(join(tmpdir(), 'prod-mcp-precompiled-')), 'specs.cjs');
  writeFileSync(file, precompiledModule(templates, precompileSource));
  return createRequire(import.meta.url)(file) as TemplateSpecs;
}

afterAll(() => usePrecompiled({}));

describe('precompiled templates', () => {
  test(`all ${all.length} combinations render the same bytes from the build's specs, compiling nothing`, () => {
    usePrecompiled({});
    const compiled = all.map((answers) => render(answers, { templates }));
    expect(runtimeCompiles()).toBeGreaterThan(0);

    usePrecompiled(builtSpecs());
    const before = runtimeCompiles();
    all.forEach((answers, i) => {
      expect(render(answers, { templates }), JSON.stringify(answers)).toEqual(compiled[i]);
    });
    expect(runtimeCompiles()).toBe(before);
  });

  test('a template missing from the specs (changed after the build) is compiled when rendered', () => {
    const specs = builtSpecs();
    const readme = templates.features.get('base')?.files.get('README.md.hbs') ?? expect.fail('no README');
    delete specs[precompiledKey(readme)];
    usePrecompiled(specs);
    const before = runtimeCompiles();
    const tree = render(all[0] ?? expect.fail('no answers'), { templates });
    expect(runtimeCompiles()).toBe(before + 1);
    usePrecompiled({});
    expect(tree).toEqual(render(all[0] ?? expect.fail('no answers'), { templates }));
  });
});

import { describe, expect, test } from 'vitest';
import { render } from '../../src/core/render.js';
import { loadTemplates, outputPath } from '../../src/core/templates.js';
import { answers, feature, templateDir } from './fixtures.js';

/** Renders a scratch templates/ folder with scratch manifests, so each rule is tested in isolation. */
const renderWith = (files: Record<string, string>, features = [feature('base')], a = answers()) =>
  render(a, { templates: loadTemplates(templateDir(files)), features });

describe('template rules', () => {
  test('.hbs files render with answers, name, slug, features and the helpers; other files are copied as is', () => {
    const tree = renderWith(
      {
        'base/src/main.ts.hbs': [
          "const name = '{{name}}'; // {{slug}} {{#each preloads}}{{this}} {{/each}}",
          '{{#if (eq answers.transport "both")}}both{{/if}}',
          '{{#if (and features.base (not features.[auth-jwt]))}}no-jwt{{/if}}',
          '{{#if (or features.[auth-jwt] features.base)}}or{{/if}}',
          'a && b < c',
          '',
        ].join('\n'),
        'base/raw.txt': '{{name}} stays',
      },
      [
        feature('base', { preload: './p.js' }),
        feature('auth-jwt', { enabled: () => false, preload: './no.js' }),
      ],
      answers({ name: '@acme/Weather.API' }),
    );
    expect(tree.get('src/main.ts')).toBe(
      "const name = '@acme/Weather.API'; // weather-api ./p.js \nboth\nno-jwt\nor\na && b < c\n",
    );
    expect(tree.get('raw.txt')).toBe('{{name}} stays');
  });

  test('a leading underscore in any path segment becomes a dot', () => {
    expect(outputPath('_gitignore')).toBe('.gitignore');
    expect(outputPath('_github/workflows/ci.yml.hbs')).toBe('.github/workflows/ci.yml');
    expect(outputPath('src/a_b.ts')).toBe('src/a_b.ts');
    const tree = renderWith({ 'base/_gitignore': 'node_modules/\n', 'base/_github/x.yml': 'a: 1\n' });
    expect([...tree.keys()]).toEqual(expect.arrayContaining(['.gitignore', '.github/x.yml']));
  });

  test('@sections are not emitted; they fill sections.<name> in feature order, blank line between', () => {
    const tree = renderWith(
      {
        'base/README.md.hbs': '# {{name}}\n\n{{{sections.readme}}}\n\n{{#if sections.empty}}x{{/if}}end\n',
        'base/@sections/readme.md': 'Base part.\n\n',
        'zeta/@sections/readme.hbs': '## {{name}} zeta\n',
        'alpha/@sections/readme.md': 'Alpha <b>part</b> & more\n',
        'off/@sections/readme.md': 'never\n',
        'off/@sections/empty.md': 'never\n',
      },
      [feature('base'), feature('zeta'), feature('alpha'), feature('off', { enabled: () => false })],
    );
    expect(tree.get('README.md')).toBe(
      '# demo\n\nBase part.\n\n## demo zeta\n\nAlpha <b>part</b> & more\n\nend\n',
    );
    expect([...tree.keys()].some((p) => p.includes('@sections'))).toBe(false);
  });

  test('{{slug}} in a path names the file; a template that renders to whitespace emits no file', () => {
    const tree = renderWith(
      {
        'base/deploy/{{slug}}.service.hbs': '[Unit]\n',
        'base/compose.yaml.hbs': '{{#if features.nope}}services: {}{{/if}}\n',
      },
      [feature('base'), feature('nope', { enabled: () => false })],
      answers({ name: '@acme/weather.api' }),
    );
    expect(tree.get('deploy/weather-api.service')).toBe('[Unit]\n');
    expect(tree.has('compose.yaml')).toBe(false);
  });

  test('disabled features contribute nothing and the tree is sorted by path', () => {
    const tree = renderWith({ 'base/b.txt': 'b', 'base/a.txt': 'a', 'off/c.txt': 'c' }, [
      feature('base'),
      feature('off', { enabled: () => false }),
    ]);
    expect([...tree.keys()]).toEqual(['a.txt', 'b.txt', 'package.json', 'src/features.generated.ts']);
  });
});

describe('render errors name the template and the problem', () => {
  test('a misspelt variable fails (strict mode) instead of rendering empty', () => {
    expect(() => renderWith({ 'base/x.ts.hbs': '{{answers.transprt}}' })).toThrow(
      /templates\/base\/x\.ts\.hbs: .*transprt/,
    );
  });

  test('two features writing the same path', () => {
    expect(() =>
      renderWith({ 'base/a.ts': '1', 'other/a.ts': '2' }, [feature('base'), feature('other')]),
    ).toThrow('a.ts is provided by both templates/base/a.ts and templates/other/a.ts');
  });

  test('a template for a computed file', () => {
    expect(() => renderWith({ 'base/package.json': '{}' })).toThrow(
      /package\.json is computed from the feature manifests/,
    );
  });

  test('a badly named section file', () => {
    expect(() => renderWith({ 'base/@sections/read me.txt': 'x' })).toThrow(
      /must be named <section>\.hbs or <section>\.md/,
    );
  });
});

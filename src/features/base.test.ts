import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { render } from '../core/render.js';
import { TEMPLATES_ROOT } from '../core/templates.js';
import { resolveAnswers } from '../core/validate.js';
import { base } from './base.js';
import { http } from './http.js';
import { stdio } from './stdio.js';

const project = (flags: Parameters<typeof resolveAnswers>[0]) =>
  render(resolveAnswers({ auth: 'none', rateLimit: 'none', docker: false, ...flags }, 'svc'));

/** The variables a generated env schema reads: the UPPER_CASE keys of its `z.object({ ... })`. */
function schemaVariables(templatePath: string): string[] {
  const source = readFileSync(join(TEMPLATES_ROOT, templatePath), 'utf8');
  const body = source.slice(source.indexOf('.object({'));
  return [...body.matchAll(/^\s+([A-Z][A-Z0-9_]+):/gm)].map((match) => match[1] ?? '');
}

describe('server core manifests', () => {
  it('declare exactly the variables the generated config validates, so .env.example documents every one', () => {
    expect(base.env?.map((v) => v.name).sort()).toEqual(schemaVariables('base/src/config.ts').sort());
    expect(http.env?.map((v) => v.name).sort()).toEqual(
      schemaVariables('http/src/features/http/index.ts').sort(),
    );
  });

  it('give both transports by default: the http and stdio modules, the SDK packages, the scripts', () => {
    const tree = project({});
    expect(tree.get('src/features.generated.ts')).toContain(
      'export const features = [http, stdio] as const;',
    );
    const pkg = JSON.parse(tree.get('package.json') ?? '{}') as Record<string, Record<string, string>>;
    expect(pkg.dependencies).toMatchObject({
      '@modelcontextprotocol/server': '^2.4.0',
      '@modelcontextprotocol/node': '^2.1.2',
      zod: '^4.6.7',
      pino: '^10.4.0',
    });
    expect(pkg.scripts).toMatchObject({
      'tools:check': 'tsx scripts/tools-lock.ts check',
      test: 'vitest run',
    });
    const env = tree.get('.env.example') ?? '';
    expect(env).toContain('TOOL_TIMEOUT_MS=10000');
    expect(env).toContain('# ALLOWED_HOSTS=mcp.example.com');
  });

  it('read .env in every script that runs the server, the conformance ones too, as start does', () => {
    for (const flags of [{}, { otel: true, rateLimit: 'redis' as const }]) {
      const pkg = JSON.parse(project(flags).get('package.json') ?? '{}') as {
        scripts: Record<string, string>;
      };
      for (const name of ['start', 'dev', 'conformance', 'conformance:serve'])
        expect(pkg.scripts[name], name).toContain('--env-file-if-exists=.env');
    }
  });

  it('leave the HTTP transport, its tests and its README section out of a stdio-only project', () => {
    const tree = project({ transport: 'stdio' });
    expect(tree.get('src/features.generated.ts')).toContain('export const features = [stdio] as const;');
    for (const [path, text] of tree) {
      expect(path).not.toMatch(/features\/http|healthcheck|test\/http/);
      if (path !== 'prod-mcp.lock.json') expect(text, path).not.toContain('@modelcontextprotocol/node');
    }
    expect(tree.get('README.md')).toContain('## stdio');
    expect(tree.get('README.md')).not.toContain('## HTTP');
  });

  it('leave stdio out of an http-only project', () => {
    const tree = project({ transport: 'http' });
    expect(tree.get('src/features.generated.ts')).toContain('export const features = [http] as const;');
    expect([...tree.keys()].filter((path) => path.includes('stdio'))).toEqual([]);
    expect(stdio.enabled(resolveAnswers({ transport: 'http' }, 'svc'))).toBe(false);
  });
});

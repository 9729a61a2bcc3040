import { describe, expect, it } from 'vitest';
import { render } from '../core/render.js';
import { resolveAnswers } from '../core/validate.js';
import { otel } from './otel.js';

const project = (flags: Parameters<typeof resolveAnswers>[0]) => render(resolveAnswers(flags, 'svc'));

describe('otel manifest', () => {
  it('pins every OpenTelemetry package to the line that still runs on Node 20', () => {
    // 0.300+ / 3.x declare node >=22.15; @opentelemetry/api 1.10 breaks the 0.223 peer range.
    for (const [name, range] of Object.entries(otel.dependencies ?? {})) {
      if (name === 'import-in-the-middle') continue;
      expect(range, name).toMatch(/^~(1\.9|2\.12|0\.223|0\.71|0\.33)\.\d+$/);
    }
  });

  it('preloads a module the project actually builds', () => {
    const tree = project({ transport: 'http', otel: true });
    expect(otel.preload).toBe('./dist/features/otel/register.js');
    expect(tree.has('src/features/otel/register.ts')).toBe(true);
    expect(tree.get('src/features.generated.ts')).toContain(
      "import { otel } from './features/otel/index.js';",
    );
  });

  it('declares the OTEL_* variables in .env.example and documents itself in the README', () => {
    const tree = project({ transport: 'http', otel: true });
    const env = tree.get('.env.example') ?? '';
    for (const name of [
      'OTEL_EXPORTER_OTLP_ENDPOINT',
      'OTEL_SERVICE_NAME',
      'OTEL_TRACES_SAMPLER',
      'OTEL_SDK_DISABLED',
    ]) {
      expect(env).toContain(name);
    }
    expect(tree.get('README.md') ?? '').toContain('## Traces (OpenTelemetry)');
  });

  it('ships the span test of each transport only with that transport', () => {
    const files = (transport: string) => [...project({ transport, otel: true }).keys()];
    const tests = (transport: string) =>
      files(transport).filter((path) => path.startsWith('test/features/otel/'));
    expect(tests('http')).toEqual(['test/features/otel/http.test.ts', 'test/features/otel/otlp-receiver.ts']);
    expect(tests('stdio')).toEqual([
      'test/features/otel/otlp-receiver.ts',
      'test/features/otel/stdio-server.mjs',
      'test/features/otel/stdio.test.ts',
    ]);
    expect(tests('both')).toHaveLength(4);
  });

  it('leaves no trace of OpenTelemetry in a project without it', () => {
    for (const [path, text] of project({ transport: 'both', otel: false, metrics: false })) {
      expect(text, path).not.toMatch(/@opentelemetry|features\/otel|import-in-the-middle/);
    }
  });
});

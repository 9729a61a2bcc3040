import { describe, expect, it } from 'vitest';
import { render } from '../core/render.js';
import { resolveAnswers } from '../core/validate.js';

const project = (flags: Parameters<typeof resolveAnswers>[0]) => render(resolveAnswers(flags, 'svc'));

describe('metrics manifest', () => {
  it('adds prom-client, the feature module and its variables', () => {
    const tree = project({ transport: 'http', metrics: true });
    const pkg = JSON.parse(tree.get('package.json') ?? '{}') as { dependencies?: Record<string, string> };
    expect(pkg.dependencies?.['prom-client']).toBe('^15.1.3');
    expect(tree.get('src/features.generated.ts')).toContain(
      "import { metrics } from './features/metrics/index.js';",
    );
    const env = tree.get('.env.example') ?? '';
    expect(env).toContain('# METRICS_TOKEN=');
    expect(env).toContain('METRICS_HOST=127.0.0.1');
    expect(env).toContain('METRICS_PRINCIPAL_LABELS=0');
  });

  it('documents the metrics, their labels and the usage report in the README', () => {
    const readme = project({ transport: 'http', metrics: true }).get('README.md') ?? '';
    expect(readme).toContain('## Metrics (Prometheus)');
    for (const name of [
      'mcp_tool_calls_total',
      'mcp_tool_cost_total',
      'mcp_budget_exhaustions_total',
      'npm run usage',
    ]) {
      expect(readme).toContain(name);
    }
  });

  it('is absent from a project without it', () => {
    for (const [path, text] of project({ transport: 'http', metrics: false })) {
      expect(text, path).not.toMatch(/prom-client|features\/metrics|METRICS_TOKEN/);
    }
  });
});

import { pmOf } from '../core/answers.js';
import type { FeatureManifest } from '../core/feature.js';
import { runScript } from '../core/package-manager.js';

export const metrics: FeatureManifest = {
  id: 'metrics',
  title: 'Prometheus metrics',
  hint: '/metrics: calls, latency, rejections, budgets, cost, dependency health',
  enabled: (a) => a.metrics,
  dependencies: { 'prom-client': '^15.1.3' },
  env: [
    {
      name: 'METRICS_TOKEN',
      description:
        'Bearer token Prometheus must send for GET /metrics on the MCP port (at least 16 characters).\n' +
        'With neither this nor METRICS_PORT, metrics are not served at all (never public by accident).',
      example: '<openssl rand -hex 24>',
      secret: true,
    },
    {
      name: 'METRICS_PORT',
      description: 'Serve /metrics on this port instead of the MCP port; never publish it.',
      example: '9464',
    },
    {
      name: 'METRICS_HOST',
      description: 'Interface for METRICS_PORT (0.0.0.0 in a container, so Prometheus can reach it).',
      example: '127.0.0.1',
      default: '127.0.0.1',
    },
    {
      name: 'METRICS_PRINCIPAL_LABELS',
      description:
        'Label the cost counter by principal ID for up to this many principals (the rest count as "other").\n' +
        '0 keeps principal IDs out of metrics; per-principal cost is always in the logs (npm run usage).',
      example: '0',
      default: '0',
    },
  ],
  module: { from: './features/metrics/index.js', export: 'metrics' },
  nextSteps: (a) => [
    `Metrics: set METRICS_TOKEN (or METRICS_PORT) and scrape GET /metrics. Cost per caller from the logs: \`${runScript(pmOf(a), 'usage')} < server.log\`.`,
  ],
};

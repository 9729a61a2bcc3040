import { pmOf } from '../core/answers.js';
import type { FeatureManifest } from '../core/feature.js';
import { runScript } from '../core/package-manager.js';

/**
 * OpenTelemetry tracing. Pinned to the 2.x / 0.223 line: every 3.x / 0.300 package declares `node >=22.15`,
 * and the generated server must still run on Node 20. `sdk-trace-node` + the OTLP/HTTP exporter + three
 * instrumentations is ~37 packages (`sdk-node` would pull every exporter, gRPC included: ~160).
 */
export const otel: FeatureManifest = {
  id: 'otel',
  title: 'OpenTelemetry traces',
  hint: 'spans per MCP request (MCP semantic conventions), OTLP export, trace IDs in logs and errors',
  enabled: (a) => a.otel,
  dependencies: {
    '@opentelemetry/api': '~1.9.0',
    '@opentelemetry/core': '~2.12.0',
    '@opentelemetry/exporter-trace-otlp-http': '~0.223.1',
    '@opentelemetry/instrumentation': '~0.223.0',
    '@opentelemetry/instrumentation-http': '~0.223.0',
    '@opentelemetry/instrumentation-redis': '~0.71.0',
    '@opentelemetry/instrumentation-undici': '~0.33.0',
    '@opentelemetry/resources': '~2.12.1',
    '@opentelemetry/sdk-trace-node': '~2.12.0',
    'import-in-the-middle': '^3.6.0',
  },
  env: [
    {
      name: 'OTEL_EXPORTER_OTLP_ENDPOINT',
      description:
        'OTLP/HTTP collector to send spans to (JSON over HTTP, port 4318).\n' +
        'Unset: nothing is exported, but trace IDs still reach logs and error envelopes.',
      example: 'http://localhost:4318',
    },
    {
      name: 'OTEL_EXPORTER_OTLP_HEADERS',
      description: 'Headers for the collector, e.g. an APM vendor key: name=value,name2=value2.',
      example: 'authorization=Bearer <token>',
      secret: true,
    },
    {
      name: 'OTEL_SERVICE_NAME',
      description: 'The service name spans are filed under (default: the package name).',
      example: 'my-mcp-server',
    },
    {
      name: 'OTEL_TRACES_SAMPLER',
      description: 'Sampling; the default keeps every trace and follows the caller’s sampling decision.',
      example: 'parentbased_traceidratio',
    },
    {
      name: 'OTEL_TRACES_SAMPLER_ARG',
      description: 'Ratio for the *traceidratio samplers (0-1).',
      example: '0.1',
    },
    {
      name: 'OTEL_SDK_DISABLED',
      description: 'true turns tracing off without removing the feature.',
      example: 'false',
      default: 'false',
    },
  ],
  module: { from: './features/otel/index.js', export: 'otel' },
  preload: './dist/features/otel/register.js',
  nextSteps: (a) => [
    `Traces: set OTEL_EXPORTER_OTLP_ENDPOINT (e.g. http://localhost:4318); \`${runScript(pmOf(a), 'start')}\` preloads the instrumentation.`,
  ],
};

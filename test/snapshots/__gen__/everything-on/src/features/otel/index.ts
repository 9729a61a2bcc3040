import { type DiagLogFunction, DiagLogLevel, diag } from '@opentelemetry/api';
import type { Logger } from 'pino';
import { z } from 'zod';
import { oneOf, url } from '../../core/env.js';
import type { FeatureModule } from '../../core/feature.js';
import { traceHttpRequest, traceOperation } from './spans.js';
import { startTracing, stopTracing, tracingStatus } from './tracing.js';

const SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;

/**
 * The OpenTelemetry SDK reads these itself (and the rest of OTEL_*: _HEADERS, _TIMEOUT, OTEL_BSP_*,
 * OTEL_RESOURCE_ATTRIBUTES); they are declared here so a typo fails at startup with the variable's name
 * instead of silently sending spans nowhere.
 */
const env = z.object({
  OTEL_SDK_DISABLED: oneOf(['true', 'false']).default('false').describe('true or false'),
  OTEL_SERVICE_NAME: z.string().min(1).optional().describe('a service name such as weather-mcp'),
  OTEL_EXPORTER_OTLP_ENDPOINT: url()
    .optional()
    .describe('the collector base URL, e.g. http://otel-collector:4318'),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: url()
    .optional()
    .describe('the full traces URL, e.g. http://otel-collector:4318/v1/traces'),
  OTEL_TRACES_SAMPLER: oneOf(SAMPLERS)
    .optional()
    .describe(`one of ${SAMPLERS.join(', ')}`),
  OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).optional().describe('a ratio from 0 to 1'),
});

/** The SDK's own complaints (an unreachable collector, a dropped batch) as structured log lines. */
function logDiagnostics(logger: Logger): void {
  const log = logger.child({ component: 'otel' });
  const at =
    (level: 'error' | 'warn' | 'info' | 'debug'): DiagLogFunction =>
    (message, ...args) =>
      log[level](args.length > 0 ? { args } : {}, message);
  diag.setLogger(
    { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug'), verbose: at('debug') },
    DiagLogLevel.WARN,
  );
}

export const otel: FeatureModule<typeof env> = {
  id: 'otel',
  env,
  setup(config, { logger }) {
    if (config.OTEL_SDK_DISABLED === 'true') {
      logger.info('tracing is off (OTEL_SDK_DISABLED=true)');
      return {};
    }
    const preloaded = tracingStatus() !== undefined;
    const { url: tracesUrl } = startTracing({
      endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
      tracesEndpoint: config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT,
    });
    logDiagnostics(logger);
    if (!preloaded) {
      logger.warn(
        'tracing started without its preload, so HTTP requests, node:http and Redis calls get no spans; ' +
          'start with: node --import ./dist/features/otel/register.js dist/main.js',
      );
    }
    if (tracesUrl) logger.info({ url: tracesUrl }, 'exporting traces over OTLP/HTTP');
    else logger.info('tracing without export: set OTEL_EXPORTER_OTLP_ENDPOINT to send spans to a collector');

    return {
      beforeAuth: [traceHttpRequest],
      middleware: [traceOperation],
      async close() {
        await stopTracing();
        diag.disable();
      },
    };
  },
};

import { readFileSync } from 'node:fs';
import { context, propagation, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { RedisInstrumentation } from '@opentelemetry/instrumentation-redis';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import {
  defaultResource,
  detectResources,
  envDetector,
  resourceFromAttributes,
} from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

/** What traces are filed under unless OTEL_SERVICE_NAME (or OTEL_RESOURCE_ATTRIBUTES) says otherwise. */
const { name: packageName } = JSON.parse(
  readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'),
) as { name: string };

/** Probes and scrapes would otherwise produce a root span every few seconds each. */
const UNTRACED_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

export interface TracingOptions {
  /** OTEL_EXPORTER_OTLP_ENDPOINT: the collector's base URL; spans go to `<endpoint>/v1/traces`. */
  endpoint?: string;
  /** OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: the full traces URL, when it is not `<endpoint>/v1/traces`. */
  tracesEndpoint?: string;
}

export interface TracingStatus {
  /** Where spans go; undefined when no endpoint is configured (IDs still reach logs and envelopes). */
  url: string | undefined;
}

let running:
  | { provider: NodeTracerProvider; stopInstrumentations: () => void; status: TracingStatus }
  | undefined;

export const tracingStatus = (): TracingStatus | undefined => running?.status;

/**
 * Starts the tracer provider and the instrumentations, once per process. The rest of the standard OTEL_*
 * variables are read by the SDK itself (OTEL_EXPORTER_OTLP_HEADERS, OTEL_TRACES_SAMPLER, OTEL_BSP_*,
 * OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES). Without an endpoint nothing is exported, but spans still get IDs:
 * a client's `traceparent` still ties our logs and error envelopes to its trace.
 */
export function startTracing(options: TracingOptions): TracingStatus {
  if (running) return running.status;
  const url =
    options.tracesEndpoint ?? (options.endpoint && `${options.endpoint.replace(/\/$/, '')}/v1/traces`);
  const provider = new NodeTracerProvider({
    resource: defaultResource()
      .merge(resourceFromAttributes({ 'service.name': packageName }))
      .merge(detectResources({ detectors: [envDetector] })),
    spanProcessors: url ? [new BatchSpanProcessor(new OTLPTraceExporter({ url }))] : [],
  });
  // Sets the global tracer provider, the AsyncLocalStorage context manager and the W3C propagators.
  provider.register();
  const stopInstrumentations = registerInstrumentations({
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (req) => UNTRACED_PATHS.has(req.url?.split('?')[0] ?? ''),
      }),
      // fetch() is undici, not node:http.
      new UndiciInstrumentation(),
      // Only commands made on behalf of a traced request; a readiness PING alone is noise.
      new RedisInstrumentation({ requireParentSpan: true }),
    ],
  });
  running = { provider, stopInstrumentations, status: { url: url || undefined } };
  return running.status;
}

/** Flushes buffered spans and unregisters everything, so a later start (tests) begins clean. */
export async function stopTracing(): Promise<void> {
  if (!running) return;
  const { provider, stopInstrumentations } = running;
  running = undefined;
  stopInstrumentations();
  await provider.shutdown();
  trace.disable();
  context.disable();
  propagation.disable();
}

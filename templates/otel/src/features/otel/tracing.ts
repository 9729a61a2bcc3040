import { readFileSync } from 'node:fs';
import { context, propagation, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
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
import {
  BatchSpanProcessor,
  NodeTracerProvider,
  type Span,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-node';

/** What traces are filed under unless OTEL_SERVICE_NAME (or OTEL_RESOURCE_ATTRIBUTES) says otherwise. */
const { name: packageName } = JSON.parse(
  readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'),
) as { name: string };

/** Probes and scrapes would otherwise produce a root span every few seconds each. */
const UNTRACED_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/** Span attributes that hold a URL or its query string (stable and older HTTP semantic conventions). */
const URL_ATTRIBUTES = ['url.query', 'url.full', 'http.url', 'http.target'];

/** `a=1&api_key=k` → `a=REDACTED&api_key=REDACTED`; the names stay, for debugging. */
function redactQuery(value: string, wholeValueIsQuery: boolean): string {
  const start = wholeValueIsQuery ? 0 : value.indexOf('?') + 1;
  if (start === 0 && !wholeValueIsQuery) return value;
  const end = value.indexOf('#', start) === -1 ? value.length : value.indexOf('#', start);
  const query = value
    .slice(start, end)
    .split('&')
    .map((pair) => (pair.includes('=') ? `${pair.slice(0, pair.indexOf('='))}=REDACTED` : pair))
    .join('&');
  return `${value.slice(0, start)}${query}${value.slice(end)}`;
}

/**
 * Query strings carry secrets: a client that sends `?api_key=` is refused, but its HTTP span would still have
 * exported the key to the trace backend; presigned upstream URLs carry signatures. Every query value of every
 * span is replaced with REDACTED as the span starts (HTTP instrumentations set URL attributes then).
 */
const redactQueryStrings: SpanProcessor = {
  onStart(span: Span) {
    for (const key of URL_ATTRIBUTES) {
      const value = span.attributes[key];
      if (typeof value === 'string' && value.includes('=')) {
        span.setAttribute(key, redactQuery(value, key === 'url.query'));
      }
    }
  },
  onEnd() {},
  forceFlush: () => Promise.resolve(),
  shutdown: () => Promise.resolve(),
};

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
    spanProcessors: url ? [redactQueryStrings, new BatchSpanProcessor(new OTLPTraceExporter({ url }))] : [],
  });
  // Sets the global tracer provider and the AsyncLocalStorage context manager. Only W3C trace context is
  // propagated, never W3C baggage: a caller's baggage is arbitrary key-values (user ids, tenant names, whatever
  // it likes) that would otherwise be forwarded in a `baggage` header to every upstream API our tools call.
  provider.register({ propagator: new W3CTraceContextPropagator() });
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

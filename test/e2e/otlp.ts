import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A span as received over OTLP/HTTP JSON: hex IDs, attributes flattened to a plain object. */
export interface Span {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  /** OTLP numbering: 1 internal, 2 server, 3 client. */
  kind: number;
  attributes: Record<string, unknown>;
  links: { traceId: string; spanId: string }[];
  status: { code?: number; message?: string };
}

type Attribute = { key: string; value: Record<string, unknown> };
interface Export {
  resourceSpans: {
    scopeSpans: { spans: (Omit<Span, 'attributes'> & { attributes?: Attribute[] })[] }[];
  }[];
}

const flatten = (attributes: Attribute[] = []) =>
  Object.fromEntries(
    attributes.map(({ key, value }) => {
      const v = value.stringValue ?? value.intValue ?? value.boolValue ?? value.doubleValue;
      return [key, value.intValue === undefined ? v : Number(v)];
    }),
  );

/** A collector on loopback for OTLP/HTTP JSON exports (what a generated server sends to OTEL_EXPORTER_OTLP_ENDPOINT). */
export async function startOtlpCollector() {
  const spans: Span[] = [];
  const server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    if (req.url !== '/v1/traces') {
      res.writeHead(404).end();
      return;
    }
    for (const { scopeSpans } of (JSON.parse(body) as Export).resourceSpans) {
      for (const scope of scopeSpans) {
        for (const span of scope.spans) {
          spans.push({
            ...span,
            parentSpanId: span.parentSpanId ?? '',
            attributes: flatten(span.attributes),
            links: (span.links ?? []).map(({ traceId, spanId }) => ({ traceId, spanId })),
            status: span.status ?? {},
          });
        }
      }
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    spans,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

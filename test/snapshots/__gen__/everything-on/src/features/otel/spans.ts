import {
  type Attributes,
  type Context,
  context,
  type Link,
  propagation,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { currentRequest } from '../../core/context.js';
import type { HttpMiddleware, OperationMiddleware } from '../../core/feature.js';

/**
 * MCP server spans after the OpenTelemetry semantic conventions for MCP: name `{mcp.method.name} {target}`,
 * kind SERVER. The parent is the trace context the client put in `params._meta` (SEP-414) when there is one,
 * with a link to the HTTP span it arrived on; otherwise the ambient context (the HTTP span, itself a child of
 * the request's `traceparent` header).
 */
const tracer = trace.getTracer('mcp-server');

/**
 * Puts the span's IDs on the request context, where the logger mixin and the tool runner (for the error
 * envelope) read them. A remote span (the client's, from `traceparent`) lends only its trace ID: its span ID
 * is not one of ours.
 */
function annotateRequest(span: Span): void {
  const store = currentRequest();
  if (!store) return;
  const { traceId, spanId, isRemote } = span.spanContext();
  store.traceId = traceId;
  if (isRemote) delete store.spanId;
  else store.spanId = spanId;
}

/** The caller's IDs on the span, so a trace search by correlation ID, run or request finds it. */
function requestAttributes(): Attributes {
  const store = currentRequest();
  if (!store) return {};
  const attributes: Attributes = {
    'app.request_id': store.requestId,
    'app.correlation_id': store.correlationId,
  };
  if (store.runId !== undefined) attributes['app.run_id'] = store.runId;
  return attributes;
}

/** The MCP semantic conventions' attribute naming the item, per operation kind. */
const ITEM_ATTRIBUTE: Partial<Record<string, string>> = {
  'tools/call': 'gen_ai.tool.name',
  'prompts/get': 'gen_ai.prompt.name',
};

/**
 * One SERVER span per MCP operation (`tools/call <tool>`, `resources/read <resource>`, `prompts/get
 * <prompt>`, `tools/list`, …), whatever the transport. Runs outermost, so it sees limits and budgets.
 */
export const traceOperation: OperationMiddleware = async (call, next) => {
  const ambient = context.active();
  const fromMeta = call.meta ? propagation.extract(ambient, call.meta) : ambient;
  const remote = trace.getSpanContext(fromMeta);
  const transport = trace.getSpanContext(ambient);
  const links: Link[] =
    remote && transport && remote.spanId !== transport.spanId ? [{ context: transport }] : [];

  const attributes: Attributes = {
    'mcp.method.name': call.kind,
    'network.transport': call.principal.source === 'stdio' ? 'pipe' : 'tcp',
    'app.principal.id': call.principal.id,
    ...requestAttributes(),
  };
  const itemAttribute = ITEM_ATTRIBUTE[call.kind];
  if (call.item && itemAttribute) attributes[itemAttribute] = call.item.name;
  if (call.kind === 'tools/call') attributes['gen_ai.operation.name'] = 'execute_tool';
  if (call.kind === 'resources/read') attributes['mcp.resource.uri'] = (call.args as { uri: string }).uri;
  if (call.rpcId !== undefined) attributes['jsonrpc.request.id'] = String(call.rpcId);
  if (call.protocolVersion) attributes['mcp.protocol.version'] = call.protocolVersion;

  const span = tracer.startSpan(
    call.item ? `${call.kind} ${call.item.name}` : call.kind,
    { kind: SpanKind.SERVER, attributes, links },
    fromMeta,
  );
  annotateRequest(span);
  try {
    const outcome = await context.with(trace.setSpan(fromMeta, span), next);
    if (!outcome.ok) {
      // A tool error is a successful JSON-RPC call with `isError: true`: the conventions call it `tool_error`.
      const type = call.kind === 'tools/call' ? 'tool_error' : outcome.error.error;
      span.setAttributes({ 'error.type': type, 'app.error.code': outcome.error.error });
      span.setStatus({ code: SpanStatusCode.ERROR, message: outcome.error.message });
    }
    return outcome;
  } catch (error) {
    span.setAttribute('error.type', error instanceof Error ? error.name : '_OTHER');
    span.setStatus({
      code: SpanStatusCode.ERROR,
      message: error instanceof Error ? error.message : String(error),
    });
    throw error;
  } finally {
    span.end();
  }
};

const header = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value[0] : value;

/**
 * Methods that get a span from their `Mcp-Method` header: those the operation pipeline does not run (its
 * operations get theirs from `traceOperation`). The header is the client's word, so only names the protocol
 * defines become span names: anything else would let a client mint unbounded span names.
 */
const NAMED_METHODS = new Set([
  'server/discover',
  'initialize',
  'ping',
  'resources/subscribe',
  'resources/unsubscribe',
  'logging/setLevel',
]);

/**
 * HTTP side, before authentication (so rejected requests carry a trace ID too):
 * - started without the preload there is no HTTP span; honour the `traceparent` header here instead;
 * - requests of the 2026-07-28 protocol name their method in `Mcp-Method`, which gives `server/discover`,
 *   `ping`… their MCP span without parsing the body. Tool calls, reads, gets, lists and completions get
 *   theirs from `traceOperation`, which also sees `params._meta`.
 */
export const traceHttpRequest: HttpMiddleware = async (req, res, next) => {
  let ctx: Context = context.active();
  if (!trace.getSpan(ctx)) ctx = propagation.extract(ctx, req.headers);

  const method = header(req.headers['mcp-method']);
  if (method !== undefined && NAMED_METHODS.has(method)) {
    const attributes: Attributes = {
      'mcp.method.name': method,
      'network.transport': 'tcp',
      ...requestAttributes(),
    };
    const version = header(req.headers['mcp-protocol-version']);
    if (version) attributes['mcp.protocol.version'] = version;
    const span = tracer.startSpan(method, { kind: SpanKind.SERVER, attributes }, ctx);
    res.once('close', () => {
      if (res.statusCode >= 400) {
        span.setAttribute('error.type', String(res.statusCode));
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
      span.end();
    });
    ctx = trace.setSpan(ctx, span);
  }

  const active = trace.getSpan(ctx);
  if (active) annotateRequest(active);
  await context.with(ctx, next);
};

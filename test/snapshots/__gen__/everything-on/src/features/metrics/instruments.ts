import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { AppEventBus, AppEvents } from '../../core/events.js';
import type { OperationMiddleware } from '../../core/feature.js';
import { BoundedLabel } from './labels.js';

/** The OpenTelemetry MCP conventions' buckets for `mcp.server.operation.duration`, in seconds. */
const DURATION_BUCKETS = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60, 120, 300];

export interface InstrumentOptions {
  /** Published tool names; a call to anything else is counted as `other`. */
  tools: readonly string[];
  /** Resource and prompt names (label values of the operation series). */
  items: readonly string[];
  /** How many distinct principal IDs get their own `principal` label on the cost counter (0: no such label). */
  principalLabels: number;
}

/**
 * Registers the server's metrics and feeds them from the app's events. Returns the tool middleware that counts
 * calls in flight (the one number an event after the fact cannot give) and a function that unsubscribes.
 */
export function instrument(
  registry: Registry,
  events: AppEventBus,
  options: InstrumentOptions,
): { inFlight: OperationMiddleware; stop(): void } {
  const registers = [registry];
  const byPrincipal = options.principalLabels > 0;
  const tool = new BoundedLabel(options.tools.length, options.tools);
  const item = new BoundedLabel(options.tools.length + options.items.length + 8, [
    ...options.tools,
    ...options.items,
  ]);
  const principal = new BoundedLabel(options.principalLabels);
  const route = new BoundedLabel(20);
  const method = new BoundedLabel(10);
  const dependency = new BoundedLabel(20);

  const toolCalls = new Counter({
    name: 'mcp_tool_calls_total',
    help: 'Tool calls that finished, by tool and outcome (ok, or the error code the caller received).',
    labelNames: ['tool', 'outcome'],
    registers,
  });
  const toolDuration = new Histogram({
    name: 'mcp_tool_call_duration_seconds',
    help: 'Tool call latency, from the call reaching the tool runner to its result.',
    labelNames: ['tool', 'outcome'],
    buckets: DURATION_BUCKETS,
    registers,
  });
  const toolsInFlight = new Gauge({
    name: 'mcp_tool_calls_in_flight',
    help: 'Tool calls running now.',
    labelNames: ['tool'],
    registers,
  });
  const toolCost = new Counter({
    name: 'mcp_tool_cost_total',
    help: 'Cost units charged (the `cost` declared on each tool), by tool, and by principal when enabled.',
    labelNames: byPrincipal ? ['tool', 'principal'] : ['tool'],
    registers,
  });
  const operations = new Counter({
    name: 'mcp_operations_total',
    help: 'MCP operations that finished (tool calls, resource reads, prompt gets, lists, completions), by kind, item and outcome.',
    labelNames: ['kind', 'item', 'outcome'],
    registers,
  });
  const operationDuration = new Histogram({
    name: 'mcp_server_operation_duration_seconds',
    help: 'MCP operation latency by kind and outcome, from reaching the pipeline to its result.',
    labelNames: ['kind', 'outcome'],
    buckets: DURATION_BUCKETS,
    registers,
  });
  const operationCost = new Counter({
    name: 'mcp_operation_cost_total',
    help: 'Cost units charged by resource reads and prompt gets (tools: mcp_tool_cost_total), by kind and item.',
    labelNames: ['kind', 'item'],
    registers,
  });
  const httpRequests = new Counter({
    name: 'mcp_http_requests_total',
    help: 'HTTP requests answered, by route, method and status.',
    labelNames: ['route', 'method', 'status'],
    registers,
  });
  const httpDuration = new Histogram({
    name: 'mcp_http_request_duration_seconds',
    help: 'HTTP request latency, by route and method.',
    labelNames: ['route', 'method'],
    buckets: DURATION_BUCKETS,
    registers,
  });
  const authRejections = new Counter({
    name: 'mcp_auth_rejections_total',
    help: 'Requests refused by authentication, by HTTP status (400 malformed, 401 bad token (jwt), 403 refused).',
    labelNames: ['status'],
    registers,
  });
  // Refusals name the operation kind beside the item, as mcp_operations_total does: a refused resource read or
  // prompt get is not a tool call, and a tool and a prompt may share a name.
  const rateLimited = new Counter({
    name: 'mcp_rate_limit_rejections_total',
    help: 'Refused by a rate limit: scope "item" (per caller and tool, resource or prompt; with kind and item), "edge" (HTTP requests per caller) or "auth" (failed authentications per address, refused before auth).',
    labelNames: ['scope', 'kind', 'item'],
    registers,
  });
  const budgetExhausted = new Counter({
    name: 'mcp_budget_exhaustions_total',
    help: 'Tool calls, resource reads and prompt gets refused because the agent run (or the caller) used up its budget, by kind and item.',
    labelNames: ['kind', 'item'],
    registers,
  });
  const dependencyUp = new Gauge({
    name: 'mcp_dependency_up',
    help: 'Whether a dependency answered its last health check (1) or not (0).',
    labelNames: ['dependency'],
    registers,
  });

  const connectionsRefused = new Counter({
    name: 'mcp_connections_refused_total',
    help: 'Sockets closed on arrival: "per-peer" (MAX_CONNECTIONS_PER_IP) or "total" (MAX_CONNECTIONS).',
    labelNames: ['reason'],
    registers,
  });

  const evictions = new Counter({
    name: 'mcp_store_evictions_total',
    help: 'Entries a bounded in-memory store forgot to stay under its size (e.g. RATE_LIMIT_MAX_KEYS).',
    labelNames: ['store'],
    registers,
  });
  const store = new BoundedLabel(20);

  // Series that exist from the first scrape, so rate() and absent() work before the first call.
  for (const name of options.tools) {
    toolCalls.inc({ tool: name, outcome: 'ok' }, 0);
    toolsInFlight.set({ tool: name }, 0);
  }

  type Payload<K extends keyof AppEvents> = AppEvents[K][0];
  const onOperation = (e: Payload<'operation'>) => {
    operations.inc({ kind: e.kind, item: item.value(e.name), outcome: e.outcome });
    operationDuration.observe({ kind: e.kind, outcome: e.outcome }, e.durationMs / 1000);
    if (e.kind === 'tools/call') onToolCall(e);
    else if (e.cost > 0) operationCost.inc({ kind: e.kind, item: item.value(e.name) }, e.cost);
  };
  const onToolCall = (e: Payload<'operation'>) => {
    const labels = { tool: tool.value(e.name), outcome: e.outcome };
    toolCalls.inc(labels);
    toolDuration.observe(labels, e.durationMs / 1000);
    if (e.cost > 0) {
      const id = principal.value(e.principal.id);
      toolCost.inc(byPrincipal ? { tool: labels.tool, principal: id } : { tool: labels.tool }, e.cost);
    }
  };
  const onHttpRequest = (e: Payload<'http.request'>) => {
    const labels = { route: route.value(e.route), method: method.value(e.method) };
    httpRequests.inc({ ...labels, status: e.status });
    httpDuration.observe(labels, e.durationMs / 1000);
  };
  const onAuthRejected = (e: Payload<'auth.rejected'>) => authRejections.inc({ status: e.status });
  const onLimitRejected = (e: Payload<'limit.rejected'>) => {
    const { operation, item: name } = e;
    const labels = operation && name ? { kind: operation, item: item.value(name) } : {};
    if (e.kind === 'budget') budgetExhausted.inc(labels);
    else rateLimited.inc({ ...labels, scope: e.kind });
  };
  const onDependencyHealth = (e: Payload<'dependency.health'>) =>
    dependencyUp.set({ dependency: dependency.value(e.name) }, e.ok ? 1 : 0);
  const onConnectionRefused = (e: Payload<'connection.refused'>) =>
    connectionsRefused.inc({ reason: e.reason });
  const onStoreEvicted = (e: Payload<'store.evicted'>) => evictions.inc({ store: store.value(e.store) });

  events.on('operation', onOperation);
  events.on('http.request', onHttpRequest);
  events.on('auth.rejected', onAuthRejected);
  events.on('limit.rejected', onLimitRejected);
  events.on('dependency.health', onDependencyHealth);
  events.on('connection.refused', onConnectionRefused);
  events.on('store.evicted', onStoreEvicted);

  const inFlight: OperationMiddleware = async (call, next) => {
    if (call.kind !== 'tools/call') return next();
    const labels = { tool: tool.value(call.name) };
    toolsInFlight.inc(labels);
    try {
      return await next();
    } finally {
      toolsInFlight.dec(labels);
    }
  };

  return {
    inFlight,
    stop() {
      events.off('operation', onOperation);
      events.off('http.request', onHttpRequest);
      events.off('auth.rejected', onAuthRejected);
      events.off('limit.rejected', onLimitRejected);
      events.off('dependency.health', onDependencyHealth);
      events.off('connection.refused', onConnectionRefused);
      events.off('store.evicted', onStoreEvicted);
    },
  };
}

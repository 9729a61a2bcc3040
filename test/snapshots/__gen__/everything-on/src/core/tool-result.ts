import type { CallToolResult } from '@modelcontextprotocol/server';
import type { RequestContext } from './context.js';
import { ERROR_META_KEY, type ErrorEnvelope, envelopeText } from './errors.js';
import type { ToolOutcome } from './feature.js';

/**
 * What the client receives for an outcome. Data goes out as `structuredContent` and as JSON text (for clients
 * that only read text). A failure goes out with `isError: true` and *no* `structuredContent`: several clients
 * (the v1 SDK client, the Inspector) check `structuredContent` against the tool's `outputSchema` even on
 * errors and would throw the envelope away. The text block carries the envelope for the model, and
 * `_meta["prod-mcp/error"]` carries it for programs. Both are stamped with the IDs the caller can quote to an
 * operator (a trace ID a middleware set is kept).
 */
export function toCallToolResult(
  outcome: ToolOutcome,
  context: RequestContext,
): { result: CallToolResult; error?: ErrorEnvelope } {
  if (outcome.ok) {
    const text = JSON.stringify(outcome.result);
    return { result: { content: [{ type: 'text', text }], structuredContent: outcome.result } };
  }
  const error: ErrorEnvelope = {
    ...outcome.error,
    requestId: context.requestId,
    correlationId: context.correlationId,
  };
  const traceId = outcome.error.traceId ?? context.traceId;
  if (traceId !== undefined) error.traceId = traceId;
  return { result: errorResult(error), error };
}

/** A failed `tools/call` result: the one shape every error takes, whoever produces it. */
export function errorResult(error: ErrorEnvelope): CallToolResult {
  return {
    isError: true,
    content: [{ type: 'text', text: `${envelopeText(error)}\n${JSON.stringify(error)}` }],
    _meta: { [ERROR_META_KEY]: { ...error } },
  };
}

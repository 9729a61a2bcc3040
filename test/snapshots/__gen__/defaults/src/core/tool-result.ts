import type { CallToolResult } from '@modelcontextprotocol/server';
import type { RequestContext } from './context.js';
import { type ErrorEnvelope, envelopeText } from './errors.js';
import type { ToolOutcome } from './feature.js';

/**
 * What the client receives for an outcome. Data goes out as `structuredContent` and as JSON text (for clients
 * that only read text); a failure as the envelope with `isError: true` and a one-line text for the model,
 * stamped with the IDs the caller can quote to an operator (a trace ID a middleware set is kept).
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
  const result: CallToolResult = {
    isError: true,
    content: [{ type: 'text', text: envelopeText(error) }],
    structuredContent: { ...error },
  };
  return { result, error };
}

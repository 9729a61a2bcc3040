import type { CallToolResult } from '@modelcontextprotocol/server';
<<<<<<< HEAD
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
=======
import type { z } from 'zod';
import { isRawResult, isToolContent } from './content.js';
import { envelopeText, toEnvelope } from './errors.js';
import type { Outcome } from './operation.js';

export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues.map((issue) => `${issue.path.join('.') || '(arguments)'}: ${issue.message}`).join('; ');
}

const internal = (message: string): Outcome<never> => {
  const cause = new Error(message);
  return { ok: false, error: toEnvelope(cause), cause };
};

/**
 * What a handler returned, as the result a client receives. Structured data goes out as `structuredContent`
 * and as JSON text (for clients that only read text); content blocks as they are. A result that does not
 * match the tool's own output schema is our bug, not the caller's: INTERNAL.
>>>>>>> 162a99a (One operation pipeline for every MCP request; resources, prompts, completion, rich results, progress; npm run conformance passes the official suite (2026-07-28 37/37, 2025-11-25 30/30))
 */
export function toolOutput(value: unknown, schema: z.ZodObject | undefined): Outcome<CallToolResult> {
  if (isRawResult(value)) return { ok: true, result: value.result as CallToolResult };
  const blocks = isToolContent(value) ? value.blocks : undefined;
  const data = isToolContent(value) ? value.data : value;
  if (schema === undefined) {
    if (blocks === undefined) {
      return internal('a tool without an output schema must return content([...]) blocks');
    }
    return {
      ok: true,
      result: data === undefined ? { content: blocks } : { content: blocks, structuredContent: data },
    };
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    return internal(`output does not match the output schema: ${describeIssues(parsed.error.issues)}`);
  }
  const structuredContent = parsed.data as Record<string, unknown>;
  return {
    ok: true,
    result: {
      content: blocks ?? [{ type: 'text', text: JSON.stringify(structuredContent) }],
      structuredContent,
    },
  };
<<<<<<< HEAD
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
=======
}

/** A failure as a tool result: the envelope with `isError: true` and a one-line text for the model. */
export function toCallToolResult(outcome: Outcome<CallToolResult>): CallToolResult {
  if (outcome.ok) return outcome.result;
  const { error } = outcome;
  return {
    isError: true,
    content: [{ type: 'text', text: envelopeText(error) }],
    structuredContent: { ...error },
>>>>>>> 162a99a (One operation pipeline for every MCP request; resources, prompts, completion, rich results, progress; npm run conformance passes the official suite (2026-07-28 37/37, 2025-11-25 30/30))
  };
}

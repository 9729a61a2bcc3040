import type { CallToolResult } from '@modelcontextprotocol/server';
import type { z } from 'zod';
import { isRawResult, isToolContent } from './content.js';
import { ERROR_META_KEY, type ErrorEnvelope, envelopeText, toEnvelope } from './errors.js';
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
}

/**
 * A failure as a tool result: `isError: true` and *no* `structuredContent` (several clients, the v1 SDK client
 * and the Inspector, check `structuredContent` against the tool's `outputSchema` even on errors and would
 * throw the envelope away). The text block carries the envelope for the model, `_meta["prod-mcp/error"]`
 * carries it for programs.
 */
export function toCallToolResult(outcome: Outcome<CallToolResult>): CallToolResult {
  return outcome.ok ? outcome.result : errorResult(outcome.error);
}

/** A failed `tools/call` result: the one shape every error takes, whoever produces it. */
export function errorResult(error: ErrorEnvelope): CallToolResult {
  return {
    isError: true,
    content: [{ type: 'text', text: `${envelopeText(error)}\n${JSON.stringify(error)}` }],
    _meta: { [ERROR_META_KEY]: { ...error } },
  };
}

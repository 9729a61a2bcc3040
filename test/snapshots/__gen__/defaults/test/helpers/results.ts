import { ERROR_META_KEY, type ErrorEnvelope } from '../../src/core/errors.js';

interface ToolResultLike {
  isError?: boolean;
  content?: unknown;
  structuredContent?: unknown;
  _meta?: Record<string, unknown>;
}

/**
 * The error envelope of a failed tool result, typed for assertions. It also holds the result to the delivery
 * contract (src/core/tool-result.ts), so every test that reads an error checks it: `isError: true`, no
 * `structuredContent`, the envelope in `_meta`, and the same envelope in the text an agent reads.
 */
export function envelopeOf(result: ToolResultLike): ErrorEnvelope {
  if (result.isError !== true) throw new Error(`expected a tool error, got ${JSON.stringify(result)}`);
  if (result.structuredContent !== undefined)
    throw new Error('a failed tool result must not carry structuredContent (clients validate it)');
  const envelope = result._meta?.[ERROR_META_KEY] as ErrorEnvelope | undefined;
  if (envelope === undefined) throw new Error(`no ${ERROR_META_KEY} in the result's _meta`);
  const text = (result.content as { type: string; text?: string }[] | undefined)?.[0]?.text ?? '';
  // The JSON is the last line (JSON.stringify never writes a raw newline; a message might).
  const headline = text.slice(0, text.lastIndexOf('\n'));
  const json = text.slice(text.lastIndexOf('\n') + 1);
  if (!headline.startsWith(`${envelope.error}: `) || json !== JSON.stringify(envelope))
    throw new Error(`the text does not carry the envelope: ${text}`);
  return envelope;
}

import type { ErrorEnvelope } from '../../src/core/errors.js';

/** The error envelope of a failed tool result (`isError: true`), typed for assertions. */
export function envelopeOf(result: { isError?: boolean; structuredContent?: unknown }): ErrorEnvelope {
  if (result.isError !== true)
    throw new Error(`expected a tool error, got ${JSON.stringify(result.structuredContent)}`);
  return result.structuredContent as ErrorEnvelope;
}

import { ProtocolError, ProtocolErrorCode, ResourceNotFoundError } from '@modelcontextprotocol/server';
import { type ErrorEnvelope, envelopeText } from './errors.js';

/** JSON-RPC's range for server-defined errors: refusals (scope, limits, deadline) that are not protocol faults. */
const SERVER_REFUSAL = -32000;

/**
 * A failed resource read, prompt get or completion as the JSON-RPC error the client receives (unlike tool
 * calls, these have no error *result*). The envelope rides in `data`, so clients still read one shape; an
 * unknown resource is the spec's not-found error (SEP-2164), which the SDK encodes per protocol revision.
 */
export function toProtocolError(error: ErrorEnvelope, uri?: string): ProtocolError {
  if (error.error === 'NOT_FOUND' && uri !== undefined) return new ResourceNotFoundError(uri, error.message);
  const code =
    error.error === 'INVALID_ARGUMENT' || error.error === 'NOT_FOUND'
      ? ProtocolErrorCode.InvalidParams
      : error.error === 'INTERNAL'
        ? ProtocolErrorCode.InternalError
        : SERVER_REFUSAL;
  return new ProtocolError(code, envelopeText(error), error);
}

/**
 * One error envelope everywhere: failed tool results (`isError: true`, the envelope in the text and in
 * `_meta["prod-mcp/error"]`, see tool-result.ts) and HTTP error bodies.
 * An agent reads `error` to decide, `retryable` to know whether to try again, and `retryAfter` for when.
 */
export type ErrorCode =
  | 'INVALID_ARGUMENT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'PAYLOAD_TOO_LARGE'
  | 'RATE_LIMITED'
  | 'BUDGET_EXHAUSTED'
  | 'TIMEOUT'
  | 'UPSTREAM_UNAVAILABLE'
  | 'UNAVAILABLE'
  | 'TOOL_RETIRED'
  | 'CANCELLED'
  | 'INTERNAL';

/** Where a failed tool result carries the envelope for programs (`result._meta[ERROR_META_KEY]`). */
export const ERROR_META_KEY = 'prod-mcp/error';

export interface ErrorEnvelope {
  error: ErrorCode;
  message: string;
  retryable: boolean;
  /** Seconds until a retry can succeed, when that is known. */
  retryAfter?: number;
  /** IDs the caller can report back so an operator finds the log lines and the trace. */
  requestId?: string;
  correlationId?: string;
  traceId?: string;
}

/** Whether a code is worth retrying when the thrower did not say. */
export const RETRYABLE_BY_DEFAULT: Readonly<Record<ErrorCode, boolean>> = {
  INVALID_ARGUMENT: false,
  UNAUTHENTICATED: false,
  FORBIDDEN: false,
  NOT_FOUND: false,
  PAYLOAD_TOO_LARGE: false,
  RATE_LIMITED: true,
  BUDGET_EXHAUSTED: true,
  TIMEOUT: true,
  UPSTREAM_UNAVAILABLE: true,
  UNAVAILABLE: true,
  TOOL_RETIRED: false,
  CANCELLED: false,
  INTERNAL: false,
};

/** The HTTP status that carries each code when it is answered at the HTTP edge. */
export const HTTP_STATUS: Readonly<Record<ErrorCode, number>> = {
  INVALID_ARGUMENT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  BUDGET_EXHAUSTED: 429,
  TIMEOUT: 504,
  UPSTREAM_UNAVAILABLE: 503,
  UNAVAILABLE: 503,
  TOOL_RETIRED: 410,
  // The client went away or cancelled (nginx's 499): recorded so metrics tell cancellations from timeouts.
  CANCELLED: 499,
  INTERNAL: 500,
};

/** Throw this from a tool handler for an expected failure; anything else becomes INTERNAL. */
export class ToolError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly retryAfter: number | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { retryable?: boolean; retryAfter?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'ToolError';
    this.code = code;
    this.retryable = options.retryable ?? RETRYABLE_BY_DEFAULT[code];
    this.retryAfter = options.retryAfter;
  }

  toEnvelope(): ErrorEnvelope {
    return envelope(this.code, this.message, { retryable: this.retryable, retryAfter: this.retryAfter });
  }
}

export function envelope(
  code: ErrorCode,
  message: string,
  options: { retryable?: boolean; retryAfter?: number } = {},
): ErrorEnvelope {
  const result: ErrorEnvelope = {
    error: code,
    message,
    retryable: options.retryable ?? RETRYABLE_BY_DEFAULT[code],
  };
  if (options.retryAfter !== undefined) result.retryAfter = Math.max(0, Math.ceil(options.retryAfter));
  return result;
}

/**
 * Turns anything thrown into an envelope. Unknown errors become INTERNAL with a generic message:
 * their text and stack go to the log, never to the client.
 */
export function toEnvelope(error: unknown): ErrorEnvelope {
  if (error instanceof ToolError) return error.toEnvelope();
  return envelope(
    'INTERNAL',
    'The tool failed unexpectedly. The error was logged; quote the requestId to the operator.',
  );
}

/** The envelope with the request's IDs, so the caller can quote them (a trace ID a middleware set is kept). */
export function stampEnvelope(
  error: ErrorEnvelope,
  context: { requestId: string; correlationId: string; traceId?: string },
): ErrorEnvelope {
  const stamped: ErrorEnvelope = {
    ...error,
    requestId: context.requestId,
    correlationId: context.correlationId,
  };
  const traceId = error.traceId ?? context.traceId;
  if (traceId !== undefined) stamped.traceId = traceId;
  return stamped;
}

/** The sentence an agent's model reads first in a failed tool result's text: code, message, retry hint. */
export function envelopeText(error: ErrorEnvelope): string {
  const hint = error.retryable
    ? error.retryAfter !== undefined
      ? ` Retry after ${error.retryAfter} s.`
      : ' Retrying may succeed.'
    : ' Do not retry unchanged.';
  return `${error.error}: ${error.message}${hint}`;
}

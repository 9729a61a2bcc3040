/**
 * What actually went wrong underneath an upstream failure. `fetch failed` alone does not say whether the host
 * refused the connection (ECONNREFUSED), did not resolve (ENOTFOUND), timed out, or failed TLS
 * (CERT_HAS_EXPIRED, UNABLE_TO_VERIFY_LEAF_SIGNATURE): that is in `error.cause`, a level or two down.
 */
export interface RootCause {
  code?: string;
  message: string;
}

/** The innermost `cause` of `error` (not `error` itself), or undefined when it has none. */
export function rootCause(error: unknown): RootCause | undefined {
  let found: RootCause | undefined;
  let current = error instanceof Error ? error.cause : undefined;
  // Bounded: a cause chain can be cyclic.
  for (let depth = 0; current instanceof Error && depth < 8; depth += 1) {
    const code = (current as NodeJS.ErrnoException).code;
    // Every address of a host refused: an AggregateError whose own message may be empty.
    const first = current instanceof AggregateError ? current.errors[0] : undefined;
    const message = current.message || (first instanceof Error ? first.message : current.name);
    found = typeof code === 'string' ? { code, message } : { message };
    current = current.cause;
  }
  return found;
}

/** `error`'s message with its root cause appended: `fetch failed (ECONNREFUSED: connect ECONNREFUSED …)`. */
export function describeError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const cause = rootCause(error);
  if (cause === undefined) return message;
  return `${message} (${cause.code === undefined ? '' : `${cause.code}: `}${cause.message})`;
}

import type { ServerResponse } from 'node:http';
import { currentRequest } from './context.js';
import { type ErrorEnvelope, HTTP_STATUS } from './errors.js';

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

/**
 * Every HTTP-level failure (401, 403, 413, 429, 503, …) answers with the same envelope tool errors use,
 * plus the request's IDs, so a client can quote them to an operator. `retryAfter` also goes out as the
 * standard Retry-After header for clients and proxies that only look there.
 */
export function sendEnvelope(
  res: ServerResponse,
  error: ErrorEnvelope,
  options: { status?: number; headers?: Record<string, string>; details?: Record<string, unknown> } = {},
): void {
  const request = currentRequest();
  const body: ErrorEnvelope & Record<string, unknown> = { ...error, ...options.details };
  if (request !== undefined) {
    body.requestId = request.requestId;
    body.correlationId = request.correlationId;
    const traceId = error.traceId ?? request.traceId;
    if (traceId !== undefined) body.traceId = traceId;
  }
  const headers = { ...options.headers };
  if (error.retryAfter !== undefined) headers['retry-after'] = String(error.retryAfter);
  sendJson(res, options.status ?? HTTP_STATUS[error.error], body, headers);
}

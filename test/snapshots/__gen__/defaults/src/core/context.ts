import { AsyncLocalStorage } from 'node:async_hooks';
import type { Principal } from './principal.js';

/**
 * Everything that identifies the request being served. It follows the request through every await
 * (AsyncLocalStorage), so every log line, span and error envelope can carry the same IDs.
 */
export interface RequestContext {
  /** One per HTTP request (X-Request-Id honoured or generated) or per stdio message. */
  requestId: string;
  /** Follows one agent turn across requests: the client's X-Correlation-Id / `_meta` value, else the requestId. */
  correlationId: string;
  /** The agent run this call belongs to, when the client says (X-Run-Id or `_meta`); budgets key on it. */
  runId?: string;
  principal: Principal;
  /** Client IP as seen by this process (after trusted-proxy handling, if any). */
  clientIp?: string;
  /**
   * The trace this request belongs to and the span now describing it, when tracing is on. The tracing feature
   * sets them as it starts spans, so log lines and error envelopes carry the same IDs the trace does.
   */
  traceId?: string;
  spanId?: string;
}

export const requestContext = new AsyncLocalStorage<RequestContext>();

export const currentRequest = (): RequestContext | undefined => requestContext.getStore();

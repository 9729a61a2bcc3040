import { EventEmitter } from 'node:events';
import type { ErrorCode } from './errors.js';
import type { OperationKind } from './operation.js';
import type { Principal } from './principal.js';
import type { StateRefusal } from './request-state.js';

/**
 * What the server reports about itself. Core and features emit; metrics, tracing and usage accounting
 * listen. Emitting never depends on who listens, so turning metrics off removes no code from the hot path
 * but a no-op emit.
 */
export interface AppEvents {
  /** One per MCP operation (tool call, resource read, prompt get, list, completion), after it finished. */
  operation: [
    {
      kind: OperationKind;
      /** The item's published name (`search_v2`), or the kind for lists. */
      name: string;
      principal: Principal;
      outcome: 'ok' | ErrorCode;
      durationMs: number;
      cost: number;
    },
  ];
  /** One per HTTP request, after the response finished. */
  'http.request': [{ route: string; method: string; status: number; durationMs: number }];
  /**
   * `credentials`: the authenticator refused who the caller claims to be (what limits before auth count);
   * `scope`: a known caller asked for something its scopes do not cover.
   */
  'auth.rejected': [{ status: number; reason: string; stage: 'credentials' | 'scope' }];
  /** A client sent back a requestState that failed verification (forged, expired, another caller's). */
  'state.rejected': [{ reason: StateRefusal; operation: string }];
  /**
   * `item`: a caller over one tool's, resource's or prompt's per-minute limit; `budget`: a run (or a caller's
   * runs together) over its budget; both name the operation kind and the item, since a read is not a call.
   * `edge`: HTTP requests per caller; `auth`: a peer over its failed authentications, refused before auth.
   */
  'limit.rejected': [{ kind: 'item' | 'budget' | 'edge' | 'auth'; operation?: OperationKind; item?: string }];
  /** A bounded in-memory map forgot its least recently used entry to stay under its size. */
  'store.evicted': [{ store: string }];
  'dependency.health': [{ name: string; ok: boolean }];
  /** A socket closed on arrival: its peer holds too many (`per-peer`) or the server is full (`total`). */
  'connection.refused': [{ reason: 'per-peer' | 'total' }];
}

export class AppEventBus extends EventEmitter<AppEvents> {}

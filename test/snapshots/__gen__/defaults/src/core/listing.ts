import type { Logger } from 'pino';
import type { BaseConfig } from '../config.js';
import type { HandlerContext, OperationKind, Outcome } from './operation.js';
import type { OperationSpec } from './pipeline.js';

/** What a list operation produces before it is sent: each entry with the scopes needed to see it. */
export interface Listing<T = unknown> {
  entries: Array<{ scopes?: readonly string[]; value: T }>;
}

export type ListKind = Extract<OperationKind, `${string}/list`>;

export const isListing = (kind: OperationKind): kind is ListKind => kind.endsWith('/list');

/**
 * Lists vary per caller: an entry the caller lacks the scopes for is not shown (an agent should not be
 * offered what it cannot use). The auth feature's middleware applies this to every list outcome.
 */
export function visibleTo(outcome: Outcome, allowed: (scopes: readonly string[]) => boolean): Outcome {
  if (!outcome.ok) return outcome;
  const listing = outcome.result as Listing;
  return { ok: true, result: { entries: listing.entries.filter((e) => allowed(e.scopes ?? [])) } };
}

/** A list as an operation: no item (nothing to limit per item), no cost; its log line says how many. */
export function listSpec<T>(
  kind: ListKind,
  config: BaseConfig,
  logger: Logger,
  entries: (ctx: HandlerContext) => Listing<T>['entries'] | Promise<Listing<T>['entries']>,
): OperationSpec<unknown, Listing<T>> {
  return {
    kind,
    log: logger,
    timeoutMs: config.TOOL_TIMEOUT_MS,
    prepare: () => ({ ok: true, result: undefined }),
    handler: async (_args, ctx) => ({ entries: await entries(ctx) }),
    output: (value) => ({ ok: true, result: value as Listing<T> }),
    shape: (listing) => ({ entries: listing.entries.length }),
  };
}

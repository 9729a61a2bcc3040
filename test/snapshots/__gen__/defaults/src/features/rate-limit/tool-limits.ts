import { currentRequest } from '../../core/context.js';
import { type ErrorCode, envelope, ToolError } from '../../core/errors.js';
import type { AppEventBus } from '../../core/events.js';
import type { Operation, OperationMiddleware, Outcome } from '../../core/feature.js';
import type { HitOptions, RateLimitStore } from '../../core/rate-limit.js';
import { runKeyOf, subjectOf } from './subject.js';
import { describeWait } from './wait.js';

const MINUTE_MS = 60_000;

export interface ToolLimitsConfig {
  /** Calls per caller per minute on an item that does not set `rateLimitPerMinute`; 0 = no limit. */
  perMinute: number;
  /** Calls, reads and gets per run within `budgetWindowMs`; 0 = no budget. */
  budget: number;
  /** Tool calls per caller within `budgetWindowMs`, across all its runs; 0 = no ceiling. */
  callerBudget?: number;
  budgetWindowMs: number;
}

/**
 * The two limits of a tool call, both sliding windows in the shared store:
 * 1. per item and caller (`RATE_LIMITED`): stops one expensive tool, resource or prompt from being hammered.
 *    The key names the operation kind and the item without its version, so alternating `search_v1` and
 *    `search_v2` does not double the allowance.
 * 2. per run (`BUDGET_EXHAUSTED`): caps the calls, reads and gets of one agent run across all items, which
 *    catches loops. Lists and completions are left to the edge limit.
 *    The client names its runs, so a new run id is a fresh budget: this catches loops, not abuse.
 * 3. per caller across all its runs (`BUDGET_EXHAUSTED`): the ceiling a client cannot reset by naming runs.
 * A call refused by one layer spends nothing in the next; every refusal carries the exact wait in `retryAfter`.
 */
export function toolLimits(
  store: RateLimitStore,
  config: ToolLimitsConfig,
  events: AppEventBus,
): OperationMiddleware {
  async function perItemLimit(
    call: Operation,
    subject: string,
    options: HitOptions,
  ): Promise<Outcome | undefined> {
    const { item } = call;
    const perMinute = item?.rateLimitPerMinute ?? config.perMinute;
    if (item === undefined || perMinute <= 0) return undefined;
    const key = `${call.kind}:${item.limitKey}:${subject}`;
    const decision = await store.hit(key, perMinute, MINUTE_MS, options);
    if (decision.allowed) return undefined;
    events.emit('limit.rejected', { kind: 'item', operation: call.kind, item: call.name });
    const wait = describeWait(decision.retryAfterMs);
    const message = `${call.name} allows ${perMinute} calls per minute per caller; the next slot frees in ${wait}.`;
    return refuse('RATE_LIMITED', message, decision.retryAfterMs);
  }

  /** What the budgets count: calls, reads and gets; not lists or completions. */
  const budgeted = (call: Operation) => call.item !== undefined && call.kind !== 'completion/complete';

  async function runBudget(
    call: Operation,
    subject: string,
    options: HitOptions,
  ): Promise<Outcome | undefined> {
    if (config.budget <= 0 || !budgeted(call)) return undefined;
    const decision = await store.hit(
      `budget:${runKeyOf(subject, call.runId)}`,
      config.budget,
      config.budgetWindowMs,
      options,
    );
    if (decision.allowed) return undefined;
    events.emit('limit.rejected', { kind: 'budget', operation: call.kind, item: call.name });
    const spent = `${config.budget} calls per ${config.budgetWindowMs / 1000} s`;
    const wait = `the next call is allowed in ${describeWait(decision.retryAfterMs)}`;
    const message =
      call.runId === undefined
        ? `This caller has used its budget of ${spent}; ${wait}. Send an X-Run-Id header to budget each agent run on its own.`
        : `Run ${call.runId} has used its budget of ${spent}; ${wait}. If the run is looping, stop and report.`;
    return refuse('BUDGET_EXHAUSTED', message, decision.retryAfterMs);
  }

  async function callerCeiling(
    call: Operation,
    subject: string,
    options: HitOptions,
  ): Promise<Outcome | undefined> {
    const ceiling = config.callerBudget ?? 0;
    if (ceiling <= 0 || !budgeted(call)) return undefined;
    const key = `budget:all-runs:${encodeURIComponent(subject)}`;
    const decision = await store.hit(key, ceiling, config.budgetWindowMs, options);
    if (decision.allowed) return undefined;
    events.emit('limit.rejected', { kind: 'budget', operation: call.kind, item: call.name });
    const wait = describeWait(decision.retryAfterMs);
    const message = `This caller has used its ceiling of ${ceiling} tool calls per ${config.budgetWindowMs / 1000} s across all its runs; the next call is allowed in ${wait}.`;
    return refuse('BUDGET_EXHAUSTED', message, decision.retryAfterMs);
  }

  return async (call, next) => {
    // A later round of a multi-round call (input-required) was counted in its first round.
    if (call.continuation) return next();
    const subject = subjectOf(call.principal, currentRequest()?.clientIp);
    // A store that waits on a backend (Redis) waits for a slow reply, but never past the call's own deadline.
    const options: HitOptions = { signal: call.signal };
    if (call.timeoutMs !== undefined) options.deadline = performance.now() + call.timeoutMs;
    let refusal: Outcome | undefined;
    try {
      refusal =
        (await perItemLimit(call, subject, options)) ??
        (await runBudget(call, subject, options)) ??
        (await callerCeiling(call, subject, options));
    } catch (error) {
      // The store could not decide (Redis unreachable under fail-closed): answer with its error, do not guess.
      if (error instanceof ToolError) return { ok: false, error: error.toEnvelope(), cause: error };
      throw error;
    }
    return refusal ?? next();
  };
}

function refuse(code: ErrorCode, message: string, retryAfterMs: number): Outcome {
  return { ok: false, error: envelope(code, message, { retryable: true, retryAfter: retryAfterMs / 1000 }) };
}

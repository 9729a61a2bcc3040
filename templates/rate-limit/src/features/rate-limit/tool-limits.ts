import { currentRequest } from '../../core/context.js';
import { type ErrorCode, envelope, ToolError } from '../../core/errors.js';
import type { AppEventBus } from '../../core/events.js';
import type { ToolCall, ToolMiddleware, ToolOutcome } from '../../core/feature.js';
import type { RateLimitStore } from '../../core/rate-limit.js';
import { runKeyOf, subjectOf } from './subject.js';
import { describeWait } from './wait.js';

const MINUTE_MS = 60_000;

export interface ToolLimitsConfig {
  /** Calls per caller per minute for a tool that does not set `rateLimitPerMinute`; 0 = no limit. */
  perMinute: number;
  /** Tool calls per run within `budgetWindowMs`; 0 = no budget. */
  budget: number;
  budgetWindowMs: number;
}

/**
 * The two limits of a tool call, both sliding windows in the shared store:
 * 1. per tool and caller (`RATE_LIMITED`): stops one expensive tool from being hammered. The key is the tool's
 *    name without its version, so alternating `search_v1` and `search_v2` does not double the allowance.
 * 2. per run (`BUDGET_EXHAUSTED`): caps the calls of one agent run across all tools, which catches loops.
 * A call refused by the tool limit spends no budget; both refusals carry the exact wait in `retryAfter`.
 */
export function toolLimits(
  store: RateLimitStore,
  config: ToolLimitsConfig,
  events: AppEventBus,
): ToolMiddleware {
  async function perToolLimit(call: ToolCall, subject: string): Promise<ToolOutcome | undefined> {
    const perMinute = call.tool.rateLimitPerMinute ?? config.perMinute;
    if (perMinute <= 0) return undefined;
    const decision = await store.hit(`tool:${call.tool.name}:${subject}`, perMinute, MINUTE_MS);
    if (decision.allowed) return undefined;
    events.emit('limit.rejected', { kind: 'tool', tool: call.name });
    const wait = describeWait(decision.retryAfterMs);
    const message = `${call.name} allows ${perMinute} calls per minute per caller; the next slot frees in ${wait}.`;
    return refuse('RATE_LIMITED', message, decision.retryAfterMs);
  }

  async function runBudget(call: ToolCall, subject: string): Promise<ToolOutcome | undefined> {
    if (config.budget <= 0) return undefined;
    const decision = await store.hit(
      `budget:${runKeyOf(subject, call.runId)}`,
      config.budget,
      config.budgetWindowMs,
    );
    if (decision.allowed) return undefined;
    events.emit('limit.rejected', { kind: 'budget', tool: call.name });
    const spent = `${config.budget} tool calls per ${config.budgetWindowMs / 1000} s`;
    const wait = `the next call is allowed in ${describeWait(decision.retryAfterMs)}`;
    const message =
      call.runId === undefined
        ? `This caller has used its budget of ${spent}; ${wait}. Send an X-Run-Id header to budget each agent run on its own.`
        : `Run ${call.runId} has used its budget of ${spent}; ${wait}. If the run is looping, stop and report.`;
    return refuse('BUDGET_EXHAUSTED', message, decision.retryAfterMs);
  }

  return async (call, next) => {
    const subject = subjectOf(call.principal, currentRequest()?.clientIp);
    let refusal: ToolOutcome | undefined;
    try {
      refusal = (await perToolLimit(call, subject)) ?? (await runBudget(call, subject));
    } catch (error) {
      // The store could not decide (Redis unreachable under fail-closed): answer with its error, do not guess.
      if (error instanceof ToolError) return { ok: false, error: error.toEnvelope(), cause: error };
      throw error;
    }
    return refusal ?? next();
  };
}

function refuse(code: ErrorCode, message: string, retryAfterMs: number): ToolOutcome {
  return { ok: false, error: envelope(code, message, { retryable: true, retryAfter: retryAfterMs / 1000 }) };
}

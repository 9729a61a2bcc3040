import {
  type CallToolResult,
  type InputRequests,
  ProtocolError,
  ProtocolErrorCode,
} from '@modelcontextprotocol/server';
import { envelope, ToolError } from './errors.js';
import type { Outcome } from './operation.js';
import type { TaskError, TaskRecord } from './task-store.js';
import { errorResult } from './tool-result.js';

const iso = (ms: number) => new Date(ms).toISOString();

/** What a client sees of a task: SEP-2663's Task, with result, error or questions by status. */
export function wire(task: TaskRecord, detailed: boolean): Record<string, unknown> {
  return {
    taskId: task.taskId,
    status: task.status,
    createdAt: iso(task.createdAt),
    lastUpdatedAt: iso(task.lastUpdatedAt),
    ttlMs: task.ttlMs,
    pollIntervalMs: task.pollIntervalMs,
    ...(task.statusMessage !== undefined && { statusMessage: task.statusMessage }),
    ...(detailed && task.status === 'completed' && { result: task.result }),
    ...(detailed && task.status === 'failed' && { error: task.error }),
    ...(detailed && task.status === 'input_required' && { inputRequests: task.inputRequests }),
  };
}

/** Failures of the run itself (not the tool's answer) end a task `failed`; the spec reserves it for them. */
const RUN_FAILURES = new Set(['INTERNAL', 'TIMEOUT', 'UNAVAILABLE']);

/** How a finished run changes its task: completed (a tool error too: `isError`), failed, or waiting for input. */
export function settled(outcome: Outcome<CallToolResult>): Partial<TaskRecord> {
  if (outcome.ok) {
    const result = outcome.result as CallToolResult & { resultType?: string; inputRequests?: InputRequests };
    if (result.resultType === 'input_required') {
      const { inputRequests, requestState } = result as {
        inputRequests?: InputRequests;
        requestState?: string;
      };
      return { status: 'input_required', inputRequests: inputRequests ?? {}, requestState, answers: {} };
    }
    return { status: 'completed', result };
  }
  const { error, cause } = outcome;
  if (cause instanceof ProtocolError) {
    return { status: 'failed', error: { code: cause.code, message: cause.message, data: cause.data } };
  }
  if (cause instanceof ToolError || !RUN_FAILURES.has(error.error)) {
    return { status: 'completed', result: errorResult(error) };
  }
  const failure: TaskError = { code: ProtocolErrorCode.InternalError, message: error.message, data: error };
  return { status: 'failed', error: failure };
}

/**
 * A `working` task whose lease lapsed: the replica running it stopped renewing (it died, or lost Redis for a
 * whole lease), so nobody will finish it. Reported as a retryable failure rather than `working` forever.
 */
export function lapsed(task: TaskRecord, now: number): boolean {
  return task.status === 'working' && task.leaseUntil !== undefined && now > task.leaseUntil;
}

export function lapsedFailure(): TaskError {
  const error = envelope(
    'UNAVAILABLE',
    'The server running this task stopped before it finished. Run the tool again.',
    { retryable: true },
  );
  return { code: ProtocolErrorCode.InternalError, message: error.message, data: error };
}

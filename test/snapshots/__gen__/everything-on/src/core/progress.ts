/** Updates closer together than this are coalesced: a tight loop must not flood the client's stream. */
const MIN_INTERVAL_MS = 100;

type Send = (progress: number, total?: number, message?: string) => Promise<void>;

/**
 * `ctx.progress(done, total?, message?)`: sends `notifications/progress` when the client asked (it sent a
 * progress token; `send` is undefined otherwise). Progress must increase, so a value not above the last one
 * sent is dropped; so is one within 100 ms of the last, unless it is the final one (`done >= total`).
 * A failed send (the client went away) is not the handler's problem: it is swallowed.
 */
export function throttledProgress(send: Send | undefined): Send {
  if (send === undefined) return async () => {};
  let lastAt = Number.NEGATIVE_INFINITY;
  let lastDone = Number.NEGATIVE_INFINITY;
  return async (done, total, message) => {
    const now = performance.now();
    const final = total !== undefined && done >= total;
    if (done <= lastDone || (!final && now - lastAt < MIN_INTERVAL_MS)) return;
    lastAt = now;
    lastDone = done;
    await send(done, total, message).catch(() => {});
  };
}

/** How a deadline race ended. */
export type Settled<T> =
  | { kind: 'done'; value: T }
  | { kind: 'failed'; error: unknown }
  | { kind: 'timeout' }
  /** The controller was aborted from outside (client cancel, shutdown); `reason` says by whom. */
  | { kind: 'aborted'; reason: unknown };

/**
 * Races `work` against a deadline and against `controller`. On expiry the race settles at once and the
 * controller is aborted, so the work's AbortSignal fires; work that ignores its signal keeps running in the
 * background and `onLateFinish` runs when it finally ends (its result is dropped). Never rejects.
 */
export function raceDeadline<T>(
  work: () => Promise<T>,
  controller: AbortController,
  timeoutMs: number,
  onLateFinish: () => void,
): Promise<Settled<T>> {
  return new Promise((resolve) => {
    let settled = false;
    let timedOut = false;
    const settle = (outcome: Settled<T>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      controller.signal.removeEventListener('abort', onAbort);
      resolve(outcome);
    };
    const onAbort = () => settle({ kind: 'aborted', reason: controller.signal.reason });
    const timer = setTimeout(() => {
      timedOut = true;
      settle({ kind: 'timeout' });
      controller.abort(new Error(`deadline of ${timeoutMs} ms passed`));
    }, timeoutMs);
    controller.signal.addEventListener('abort', onAbort, { once: true });

    const finished = (outcome: Settled<T>) => {
      if (!settled) settle(outcome);
      else if (timedOut) onLateFinish();
    };
    let running: Promise<T>;
    try {
      running = work();
    } catch (error) {
      running = Promise.reject(error);
    }
    running.then(
      (value) => finished({ kind: 'done', value }),
      (error: unknown) => finished({ kind: 'failed', error }),
    );
  });
}

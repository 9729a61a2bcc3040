import type { AppEventBus } from './events.js';
import type { ReadinessCheck } from './feature.js';

export interface CheckResult {
  ok: boolean;
  degraded?: boolean;
  detail?: string;
}

export interface ReadinessReport {
  ready: boolean;
  draining: boolean;
  checks: Record<string, CheckResult>;
  /** Names of the checks that failed, first one first: what /readyz names in its 503. */
  failing: string[];
}

/**
 * Liveness is "the process answers" and needs nothing here. Readiness is "send me traffic": every
 * registered dependency check passes and we are not draining. A check that hangs counts as failed after
 * `timeoutMs`, so a dead dependency cannot hang the probe (probes have their own short timeouts).
 */
export class Health {
  #draining = false;

  constructor(
    private readonly checks: readonly ReadinessCheck[],
    private readonly events: AppEventBus,
    private readonly timeoutMs = 2_000,
  ) {}

  get draining(): boolean {
    return this.#draining;
  }

  /** From now on readiness fails, so load balancers stop sending new work while in-flight calls finish. */
  startDraining(): void {
    this.#draining = true;
  }

  async readiness(): Promise<ReadinessReport> {
    const results = await Promise.all(this.checks.map((check) => this.run(check)));
    const checks: Record<string, CheckResult> = {};
    const failing: string[] = [];
    for (const [index, check] of this.checks.entries()) {
      const result = results[index] ?? { ok: false, detail: 'no result' };
      checks[check.name] = result;
      if (!result.ok) failing.push(check.name);
      // A degraded dependency keeps the replica ready (e.g. Redis down under fail-open), but it *is* down:
      // alerts and the dependency-up metric must see that.
      this.events.emit('dependency.health', { name: check.name, ok: result.ok && result.degraded !== true });
    }
    return { ready: !this.#draining && failing.length === 0, draining: this.#draining, checks, failing };
  }

  private async run(check: ReadinessCheck): Promise<CheckResult> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<CheckResult>((resolve) => {
      timer = setTimeout(
        () => resolve({ ok: false, detail: `no answer within ${this.timeoutMs} ms` }),
        this.timeoutMs,
      );
    });
    try {
      return await Promise.race([check.check(), timeout]);
    } catch (error) {
      return { ok: false, detail: error instanceof Error ? error.message : String(error) };
    } finally {
      clearTimeout(timer);
    }
  }
}

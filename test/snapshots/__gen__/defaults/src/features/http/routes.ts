import type { Logger } from 'pino';
import { envelope } from '../../core/errors.js';
import type { Route } from '../../core/feature.js';
import type { CheckResult, Health } from '../../core/health.js';
import { sendEnvelope, sendJson } from '../../core/http-response.js';
import { SampledLog } from '../../core/sampled-log.js';

/**
 * /healthz is liveness: the process answers, nothing else is checked (a Redis outage must not get pods
 * restarted). /readyz is readiness: every dependency check passes and we are not draining; otherwise 503
 * naming what failed, so the load balancer stops sending work here. Both answer anyone, unauthenticated, so
 * they give check names and states only: a check's detail (an identity provider's URL, "tool calls are not
 * rate-limited") tells an attacker where to push, and goes to the log instead.
 */
export function healthRoutes(health: Health, logger: Logger): Route[] {
  const problems = new SampledLog(logger, 'readiness: a dependency check is failing or degraded');
  return [
    {
      method: 'GET',
      path: '/healthz',
      handle: (_req, res) => sendJson(res, 200, { status: 'ok' }),
    },
    {
      method: 'GET',
      path: '/readyz',
      handle: async (_req, res) => {
        const report = await health.readiness();
        const degraded = Object.values(report.checks).some((check) => check.degraded);
        if (report.failing.length > 0 || degraded) {
          problems.note(report.failing.length > 0 ? 'failing' : 'degraded', { checks: report.checks });
        }
        const checks = withoutDetails(report.checks);
        if (report.ready) return sendJson(res, 200, { status: degraded ? 'degraded' : 'ready', checks });
        const reason = report.draining
          ? 'draining for shutdown'
          : `failing check: ${report.failing.join(', ')}`;
        sendEnvelope(res, envelope('UNAVAILABLE', `Not ready (${reason}).`), { details: { checks } });
      },
    },
  ];
}

function withoutDetails(checks: Record<string, CheckResult>): Record<string, CheckResult> {
  return Object.fromEntries(
    Object.entries(checks).map(([name, { ok, degraded }]) => [name, degraded ? { ok, degraded } : { ok }]),
  );
}

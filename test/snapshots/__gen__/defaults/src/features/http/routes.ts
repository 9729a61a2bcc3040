import { envelope } from '../../core/errors.js';
import type { Route } from '../../core/feature.js';
import type { Health } from '../../core/health.js';
import { sendEnvelope, sendJson } from '../../core/http-response.js';

/**
 * /healthz is liveness: the process answers, nothing else is checked (a Redis outage must not get pods
 * restarted). /readyz is readiness: every dependency check passes and we are not draining; otherwise 503
 * naming what failed, so the load balancer stops sending work here.
 */
export function healthRoutes(health: Health): Route[] {
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
        if (report.ready) {
          const degraded = Object.values(report.checks).some((check) => check.degraded);
          return sendJson(res, 200, { status: degraded ? 'degraded' : 'ready', checks: report.checks });
        }
        const reason = report.draining
          ? 'draining for shutdown'
          : `failing check: ${report.failing.join(', ')}`;
        sendEnvelope(res, envelope('UNAVAILABLE', `Not ready (${reason}).`), {
          details: { checks: report.checks },
        });
      },
    },
  ];
}

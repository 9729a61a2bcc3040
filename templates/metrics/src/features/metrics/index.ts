import type { Server } from 'node:http';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { z } from 'zod';
import type { FeatureModule, FeatureRuntime } from '../../core/feature.js';
import { promptName } from '../../core/prompt.js';
import { publishedName } from '../../core/tool.js';
import { listenMetrics, metricsHandler } from './endpoint.js';
import { instrument } from './instruments.js';

const optionalPort = z
  .string()
  .regex(/^\d+$/)
  .transform(Number)
  .pipe(z.number().int().min(1).max(65_535))
  .optional()
  .describe('a TCP port (1-65535)');

const env = z.object({
  /** Bearer token Prometheus sends; required to serve /metrics on the MCP port, optional on METRICS_PORT. */
  METRICS_TOKEN: z.string().min(16).optional().describe('a token of at least 16 characters'),
  /** Serve /metrics on this port instead of the MCP port (keep that port off the public network). */
  METRICS_PORT: optionalPort,
  METRICS_HOST: z.string().min(1).default('127.0.0.1').describe('an interface address such as 0.0.0.0'),
  /** Label cost by principal ID for up to this many principals (the rest: `other`); 0 keeps IDs out of metrics. */
  METRICS_PRINCIPAL_LABELS: z
    .string()
    .regex(/^\d+$/)
    .transform(Number)
    .pipe(z.number().int().max(1000))
    .default(0)
    .describe('a number of principals from 0 to 1000'),
});

export const metrics: FeatureModule<typeof env> = {
  id: 'metrics',
  env,
  // Prometheus scrapes long-lived services; a stdio server lives as long as its one client's session.
  transports: ['http'],
  async setup(config, app) {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    const { inFlight, stop } = instrument(registry, app.events, {
      tools: app.tools.map(publishedName),
      items: [...app.resources.map((r) => r.name), ...app.prompts.map(promptName)],
      principalLabels: config.METRICS_PRINCIPAL_LABELS,
    });
    const handler = metricsHandler(registry, config.METRICS_TOKEN);
    const runtime: FeatureRuntime = { middleware: [inFlight] };

    let server: Server | undefined;
    if (config.METRICS_PORT !== undefined) {
      server = await listenMetrics(handler, config.METRICS_PORT, config.METRICS_HOST);
      app.logger.info(
        { port: config.METRICS_PORT, host: config.METRICS_HOST },
        'serving /metrics on its own port',
      );
    } else if (config.METRICS_TOKEN !== undefined) {
      runtime.routes = [{ method: 'GET', path: '/metrics', handle: handler }];
    } else {
      // Unprotected metrics on the MCP port would be readable by every client: serve nothing until told how.
      app.logger.warn(
        '/metrics is not served: set METRICS_TOKEN (protects it on the MCP port) or METRICS_PORT',
      );
    }
    runtime.close = async () => {
      stop();
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    };
    return runtime;
  },
};

import { z } from 'zod';
import { bytes, list, port } from '../../core/env.js';
import type { FeatureModule } from '../../core/feature.js';
import { LOOPBACK_HOSTS } from './guards.js';
import { startHttpServer } from './server.js';

const env = z
  .object({
    HOST: z.string().default('127.0.0.1').describe('an interface address such as 127.0.0.1 or 0.0.0.0'),
    PORT: port(3000),
    ALLOWED_HOSTS: list('comma-separated host names clients connect with, e.g. mcp.example.com'),
    ALLOWED_ORIGINS: list(
      'comma-separated host names of browser origins allowed to call, e.g. app.example.com',
    ),
    MAX_BODY_BYTES: bytes(1_048_576),
  })
  .superRefine((value, ctx) => {
    // Beyond loopback, only an explicit list of host names defeats DNS rebinding; there is no safe default.
    if (!LOOPBACK_HOSTS.includes(value.HOST) && value.ALLOWED_HOSTS.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['ALLOWED_HOSTS'],
        message: `required when HOST=${value.HOST} (beyond loopback): list the host names clients use to reach this server, e.g. ALLOWED_HOSTS=mcp.example.com`,
      });
    }
  });

export type HttpConfig = z.output<typeof env>;

/** MCP over Streamable HTTP on /mcp (2026-07-28 and stateless 2025 clients), with /healthz and /readyz. */
export const http: FeatureModule<typeof env> = {
  id: 'http',
  // Under stdio there is no listener: HOST, PORT and ALLOWED_HOSTS are neither needed nor checked (an image
  // that sets HOST=0.0.0.0 for HTTP must still start with `docker run -i … -e MCP_TRANSPORT=stdio`).
  transports: ['http'],
  env,
  setup: (config, app) => ({
    transport: { name: 'http', start: (parts) => startHttpServer(config, app, parts) },
  }),
};

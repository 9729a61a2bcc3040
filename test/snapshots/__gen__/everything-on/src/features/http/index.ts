import { z } from 'zod';
import { bytes, list, milliseconds, port } from '../../core/env.js';
import type { FeatureModule } from '../../core/feature.js';
import { LOOPBACK_HOSTS } from './guards.js';
import { startHttpServer } from './server.js';

/** A count of sockets (digits only); 0 is allowed where it turns the cap off. */
const connections = (fallback: number, expected: string) =>
  z
    .string()
    .regex(/^\d+$/)
    .transform(Number)
    .pipe(z.number().int().min(0).max(1_000_000))
    .default(fallback)
    .describe(expected);

const env = z
  .object({
    HOST: z.string().default('127.0.0.1').describe('an interface address such as 127.0.0.1 or 0.0.0.0'),
    PORT: port(3000),
    ALLOWED_HOSTS: list('comma-separated host names clients connect with, e.g. mcp.example.com'),
    ALLOWED_ORIGINS: list(
      'comma-separated host names of browser origins allowed to call, e.g. app.example.com',
    ),
    MAX_BODY_BYTES: bytes(1_048_576),
    MAX_CONNECTIONS: connections(4096, 'open connections in total; keep it below the open-file limit'),
    MAX_CONNECTIONS_PER_IP: connections(
      256,
      'open connections per client address (IPv6: per /64); 0 turns the cap off',
    ),
    HEADERS_TIMEOUT_MS: milliseconds(15_000),
    REQUEST_TIMEOUT_MS: milliseconds(30_000),
    KEEP_ALIVE_TIMEOUT_MS: milliseconds(65_000),
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
    // Node refuses a request deadline shorter than the header deadline (the headers are part of the request).
    if (value.REQUEST_TIMEOUT_MS !== 0 && value.REQUEST_TIMEOUT_MS < value.HEADERS_TIMEOUT_MS) {
      ctx.addIssue({
        code: 'custom',
        path: ['REQUEST_TIMEOUT_MS'],
        message: `must be at least HEADERS_TIMEOUT_MS (${value.HEADERS_TIMEOUT_MS}), or 0 for no request deadline`,
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

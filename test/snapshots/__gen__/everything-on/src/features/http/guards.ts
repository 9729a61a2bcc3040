import type { IncomingMessage } from 'node:http';
import { validateHostHeader, validateOriginHeader } from '@modelcontextprotocol/server';
import { type ErrorEnvelope, envelope } from '../../core/errors.js';
import type { HttpConfig } from './index.js';

/** Names a DNS-rebinding attacker cannot make a browser send as Host: only a local client addresses these. */
export const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]', '::1'];

const WILDCARDS = ['0.0.0.0', '::', ''];

/**
 * Host and Origin validation, always on: a web page must not reach this server through DNS rebinding, and a
 * browser origin must be on the list to call it. Requests without Origin (every non-browser client) pass.
 */
export function createGuards(config: HttpConfig) {
  const hosts = [...LOOPBACK_HOSTS, ...config.ALLOWED_HOSTS];
  if (!WILDCARDS.includes(config.HOST))
    hosts.push(config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST);
  const origins = [...LOOPBACK_HOSTS, ...config.ALLOWED_ORIGINS];

  return (req: IncomingMessage): ErrorEnvelope | undefined => {
    const host = validateHostHeader(req.headers.host, hosts);
    if (!host.ok) {
      return envelope(
        'FORBIDDEN',
        `${host.message}. Requests must address this server by an allowed host name.`,
      );
    }
    const origin = validateOriginHeader(req.headers.origin, origins);
    if (!origin.ok) return envelope('FORBIDDEN', `${origin.message}. This origin is not in ALLOWED_ORIGINS.`);
    return undefined;
  };
}

/** A client-chosen ID is echoed into logs and headers, so only short, plain ones are honoured. */
export function headerId(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' && /^[\w.:@/-]{1,128}$/.test(value) ? value : undefined;
}

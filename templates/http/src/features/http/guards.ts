import type { IncomingMessage, ServerResponse } from 'node:http';
import { validateHostHeader, validateOriginHeader } from '@modelcontextprotocol/server';
import { type ErrorEnvelope, envelope } from '../../core/errors.js';
import type { HttpConfig } from './index.js';

/** Names a DNS-rebinding attacker cannot make a browser send as Host: only a local client addresses these. */
export const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]', '::1'];

const WILDCARDS = ['0.0.0.0', '::', ''];
const MAX_ACCEPTED_HOSTS = 100;

/**
 * Host and Origin validation, always on: a web page must not reach this server through DNS rebinding, and a
 * browser origin must be on the list to call it. Requests without Origin (every non-browser client) pass.
 */
export function createGuards(config: HttpConfig) {
  const hosts = [...LOOPBACK_HOSTS, ...config.ALLOWED_HOSTS];
  if (!WILDCARDS.includes(config.HOST))
    hosts.push(config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST);
  const origins = [...LOOPBACK_HOSTS, ...config.ALLOWED_ORIGINS];
  // Host values already accepted: clients send the same one on every request, and validating it parses a URL
  // each time. Only accepted values are kept (a refused one is judged afresh), and at most MAX_ACCEPTED_HOSTS:
  // the port is the client's to choose.
  const accepted = new Set<string>();

  return (req: IncomingMessage): ErrorEnvelope | undefined => {
    const header = req.headers.host;
    if (header === undefined || !accepted.has(header)) {
      const host = validateHostHeader(header, hosts);
      if (!host.ok) {
        return envelope(
          'FORBIDDEN',
          `${host.message}. Requests must address this server by an allowed host name.`,
        );
      }
      if (header !== undefined && accepted.size < MAX_ACCEPTED_HOSTS) accepted.add(header);
    }
    const origin = validateOriginHeader(req.headers.origin, origins);
    if (!origin.ok) return envelope('FORBIDDEN', `${origin.message}. This origin is not in ALLOWED_ORIGINS.`);
    return undefined;
  };
}

/** host, IPv4 or [IPv6], and an optional port: what RFC 9112 §3.2 allows in Host (no user info, no path). */
const HOST_SYNTAX = /^(?:\[[\da-f:.]+\]|[\w.~%-]+)(?::\d{1,5})?$/i;
/** Headers a request may carry once: two of them means a proxy and this server may read different ones. */
const SINGLE_HEADERS = ['host', 'authorization'];

/**
 * Requests no server may answer normally (RFC 9112 §3.2: a Host header that is repeated or malformed is a
 * 400), for every path. Returns the problem in words, or undefined.
 */
export function malformedRequest(req: IncomingMessage): string | undefined {
  for (const name of SINGLE_HEADERS) {
    const count = req.headersDistinct[name]?.length ?? 0;
    if (count > 1) return `The request carries ${count} ${name} headers; send exactly one.`;
  }
  const host = req.headers.host;
  if (host !== undefined && !HOST_SYNTAX.test(host)) {
    return 'The Host header is not a host name or address with an optional port.';
  }
  return undefined;
}

/** What /mcp answers; anything else (TRACE, PUT, …) is 405 with this list in Allow. */
export const MCP_METHODS = ['GET', 'POST', 'DELETE', 'OPTIONS'];

/** A client-chosen ID is echoed into logs and headers, so only short, plain ones are honoured. */
export function headerId(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' && /^[\w.:@/-]{1,128}$/.test(value) ? value : undefined;
}

/** What a browser client may read from our answers: the IDs to quote, and what auth and limits say. */
const EXPOSED = 'mcp-session-id, x-request-id, www-authenticate, retry-after';

/**
 * CORS for the origins that passed validation, so a browser client on an allowed origin can read the answers.
 * A preflight (OPTIONS) is answered here, before authentication: browsers send it without credentials.
 * Returns true when it answered the request.
 */
export function answerCors(req: IncomingMessage, res: ServerResponse): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return false;
  res.setHeader('access-control-allow-origin', origin);
  res.setHeader('vary', 'Origin');
  res.setHeader('access-control-expose-headers', EXPOSED);
  if (req.method !== 'OPTIONS') return false;
  res.writeHead(204, {
    'access-control-allow-methods': 'GET, POST, DELETE',
    // The origin is trusted already; echoing what it asks for also covers Mcp-Param-* headers (SEP-2243).
    'access-control-allow-headers': req.headers['access-control-request-headers'] ?? '',
    'access-control-max-age': '600',
  });
  res.end();
  return true;
}

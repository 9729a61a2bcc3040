import type { IncomingMessage } from 'node:http';

export type BearerToken =
  | { kind: 'token'; token: string }
  | { kind: 'missing'; reason: string }
  | { kind: 'malformed'; reason: string; message: string };

/** Query parameters that carry tokens in the wild (RFC 6750 §2.3 `access_token`, and its cousins). */
const TOKEN_PARAMS = new Set(['access_token', 'token', 'api_key', 'apikey', 'key']);
/** RFC 6750 `b64token`: anything else in the header is malformed, and is refused rather than trimmed. */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
const MAX_LENGTH = 8_192;

function hasTokenInQuery(url: string | undefined): boolean {
  const query = url?.indexOf('?') ?? -1;
  if (query === -1 || url === undefined) return false;
  for (const name of new URLSearchParams(url.slice(query + 1)).keys()) {
    if (TOKEN_PARAMS.has(name.toLowerCase())) return true;
  }
  return false;
}

/** The token of `Authorization: Bearer <token>`, the only place MCP allows one (never the URL). */
export function readBearerToken(req: IncomingMessage): BearerToken {
  if (hasTokenInQuery(req.url)) {
    return {
      kind: 'malformed',
      reason: 'token in query string',
      message: 'Send the token in the Authorization header, never in the URL: URLs end up in logs.',
    };
  }
  const { authorization } = req.headers;
  if (authorization === undefined || authorization === '')
    return { kind: 'missing', reason: 'no credentials' };
  const bearer = /^Bearer(?: +(.*))?$/i.exec(authorization);
  if (bearer === null) return { kind: 'missing', reason: 'unsupported authorization scheme' };
  const token = bearer[1] ?? '';
  if (token.length > MAX_LENGTH || !B64TOKEN.test(token)) {
    return {
      kind: 'malformed',
      reason: 'malformed authorization header',
      message: 'The Authorization header is malformed: expected "Bearer <token>".',
    };
  }
  return { kind: 'token', token };
}

import type { IncomingMessage } from 'node:http';

/** What a request offers as an API key, or why it offers none that can be checked. */
export type Credential =
  | { kind: 'key'; key: string }
  | { kind: 'missing'; reason: string }
  | { kind: 'malformed'; reason: string; message: string };

/** Query parameters that carry credentials in the wild. A request using one is refused, not merely ignored. */
const CREDENTIAL_PARAMS = new Set(['api_key', 'apikey', 'api-key', 'key', 'access_token', 'token']);
/**
 * RFC 6750 `b64token`. A credential outside it is malformed, not merely wrong: this is what refuses a valid
 * key with anything appended (the HTTP parser already strips trailing spaces and tabs, so what reaches us
 * is e.g. a no-break space), instead of trimming it into a match.
 */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
const MAX_LENGTH = 512;

const malformed = (reason: string, message: string): Credential => ({ kind: 'malformed', reason, message });

function checkSyntax(key: string, header: string): Credential {
  if (key.length <= MAX_LENGTH && B64TOKEN.test(key)) return { kind: 'key', key };
  return malformed(`malformed ${header}`, `The ${header} header is malformed: expected a single API key.`);
}

function fromAuthorization(value: string): Credential {
  if (value === '') return { kind: 'missing', reason: 'empty authorization header' };
  const bearer = /^Bearer(?: +(.*))?$/i.exec(value);
  if (bearer === null) return { kind: 'missing', reason: 'unsupported authorization scheme' };
  return checkSyntax(bearer[1] ?? '', 'Authorization');
}

function fromApiKeyHeader(value: string | string[]): Credential {
  if (Array.isArray(value) || value.includes(',')) {
    return malformed('x-api-key sent twice', 'Send exactly one X-API-Key header.');
  }
  if (value === '') return { kind: 'missing', reason: 'empty x-api-key header' };
  return checkSyntax(value, 'X-API-Key');
}

function hasCredentialInQuery(url: string | undefined): boolean {
  const query = url?.indexOf('?') ?? -1;
  if (query === -1 || url === undefined) return false;
  for (const name of new URLSearchParams(url.slice(query + 1)).keys()) {
    if (CREDENTIAL_PARAMS.has(name.toLowerCase())) return true;
  }
  return false;
}

/** Reads the key from `Authorization: Bearer <key>` or `X-API-Key: <key>`; exactly one may carry it. */
export function readApiKey(req: IncomingMessage): Credential {
  if (hasCredentialInQuery(req.url)) {
    return malformed(
      'credential in query string',
      'Send the API key in a header, never in the URL: URLs end up in logs. Treat that key as leaked and rotate it.',
    );
  }
  const { authorization } = req.headers;
  const apiKeyHeader = req.headers['x-api-key'];
  const fromBearer = authorization === undefined ? undefined : fromAuthorization(authorization);
  const fromHeader = apiKeyHeader === undefined ? undefined : fromApiKeyHeader(apiKeyHeader);
  if (fromBearer?.kind === 'key' && fromHeader?.kind === 'key') {
    return malformed(
      'api key sent twice',
      'Send the API key in one header only: Authorization or X-API-Key.',
    );
  }
  for (const credential of [fromBearer, fromHeader]) {
    if (credential !== undefined && credential.kind !== 'missing') return credential;
  }
  return fromBearer ?? fromHeader ?? { kind: 'missing', reason: 'no credentials' };
}

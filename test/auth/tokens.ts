import {
  createHash,
  createHmac,
  generateKeyPairSync,
  type JsonWebKey,
  type KeyObject,
  randomBytes,
  sign,
} from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * JWTs and a JWKS endpoint from node:crypto alone: the generator has no jose, and signing with an
 * implementation independent of the server's (jose) means the two must agree on the standard, not on code.
 */
export interface SigningKey {
  kid: string;
  alg: 'RS256' | 'ES256';
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** The public half as a JWK with kid/alg/use, as an identity provider publishes it. */
  jwk: JsonWebKey;
}

export function signingKey(kid: string, alg: 'RS256' | 'ES256' = 'RS256'): SigningKey {
  const { privateKey, publicKey } =
    alg === 'RS256'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    kid,
    alg,
    privateKey,
    publicKey,
    jwk: { ...publicKey.export({ format: 'jwk' }), kid, alg, use: 'sig' },
  };
}

const b64url = (value: object | string) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

export const nowSeconds = () => Math.floor(Date.now() / 1000);

/** A compact JWS: RS256/ES256 with a key pair, HS256 with a secret, or `none` (unsigned). */
export function jwt(
  payload: Record<string, unknown>,
  key: /** `typ` defaults to `at+jwt`, an RFC 9068 access token (what a JWKS-mode server accepts). */
    | { kind: 'pair'; key: SigningKey; kid?: string; typ?: string }
    | { kind: 'hs256'; secret: string | Buffer }
    | { kind: 'none' },
): string {
  const header =
    key.kind === 'pair'
      ? { alg: key.key.alg, typ: key.typ ?? 'at+jwt', kid: key.kid ?? key.key.kid }
      : { alg: key.kind === 'hs256' ? 'HS256' : 'none', typ: 'JWT' };
  const input = `${b64url(header)}.${b64url(payload)}`;
  if (key.kind === 'none') return `${input}.`;
  if (key.kind === 'hs256')
    return `${input}.${createHmac('sha256', key.secret).update(input).digest('base64url')}`;
  const signature =
    key.key.alg === 'RS256'
      ? sign('sha256', Buffer.from(input), key.key.privateKey)
      : sign('sha256', Buffer.from(input), { key: key.key.privateKey, dsaEncoding: 'ieee-p1363' });
  return `${input}.${signature.toString('base64url')}`;
}

/** A JWKS endpoint on loopback serving `keys` (mutable: push to rotate). */
export async function jwksServer(keys: JsonWebKey[]) {
  let fetches = 0;
  const server = createServer((_req, res) => {
    fetches++;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/jwks.json`,
    keys,
    fetches: () => fetches,
    stop: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

/** A fresh API key as `npm run keys:new` makes one, and its API_KEYS entry. */
export function apiKey(name: string, scopes: readonly string[] = []) {
  const key = `mcp_${randomBytes(32).toString('base64url')}`;
  const hash = createHash('sha256').update(key).digest('hex');
  return { key, entry: `${name}:${hash}${scopes.length > 0 ? `:${scopes.join(' ')}` : ''}` };
}

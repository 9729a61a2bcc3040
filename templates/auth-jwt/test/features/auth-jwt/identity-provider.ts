/** A stand-in identity provider for the tests: real keys, a real JWKS endpoint on loopback, real tokens. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from 'jose';

/** A real RS256 key pair, its public half published as a JWK with the given `kid`. */
export async function rsaKey(kid: string) {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  return { kid, privateKey, publicKey, jwk };
}

/**
 * A JWKS endpoint on loopback, as an identity provider serves one; `keys` can be rotated while it runs, and
 * `failWith(500)` / `failWith(429)` makes it fail the way a provider in trouble does (`failWith()` heals it).
 */
export async function startJwksServer(keys: JWK[]) {
  let fetches = 0;
  let failure: number | undefined;
  const server = http.createServer((_req, res) => {
    fetches++;
    if (failure !== undefined) {
      res.writeHead(failure, failure === 429 ? { 'retry-after': '1' } : {});
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    keys,
    fetches: () => fetches,
    failWith: (status?: number) => {
      failure = status;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export const ISSUER = 'https://id.example.test/';
export const AUDIENCE = 'https://mcp.example.test/mcp';
export const now = () => Math.floor(Date.now() / 1000);

/** A token the server must accept, unless a case overrides a claim (`undefined` removes it), the key or the kid. */
export function signToken(key: Awaited<ReturnType<typeof rsaKey>>, claims: JWTPayload = {}, kid = key.kid) {
  const payload = {
    sub: 'user-123',
    scope: 'reports:read',
    iss: ISSUER,
    aud: AUDIENCE,
    iat: now(),
    exp: now() + 300,
  };
  return (
    new SignJWT({ ...payload, ...claims })
      // RFC 9068: an access token says so in `typ` (the server refuses other types, such as ID tokens).
      .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid })
      .sign(key.privateKey)
  );
}

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK } from 'jose';

export type SigningKey = Awaited<ReturnType<typeof signingKey>>;

/**
 * A real key pair, its public half published as a JWK with the given `kid`: RS256 as identity providers sign
 * access tokens, ES256 as gateways (Cloud IAP) sign their assertions.
 */
export async function signingKey(alg: 'RS256' | 'ES256', kid: string) {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { kid, privateKey, publicKey, jwk };
}

/**
 * A JWKS endpoint on loopback, as an identity provider or a gateway serves one; `keys` can be rotated while it
 * runs, and `failWith(500)` / `failWith(429)` makes it fail the way a provider in trouble does (`failWith()`
 * heals it). `fetches()` counts every request, failed ones included: what a refetch storm would show.
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

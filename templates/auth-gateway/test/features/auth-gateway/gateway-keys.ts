import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK } from 'jose';

/** A real ES256 key pair (what Cloud IAP signs with), its public half published as a JWK with `kid`. */
export async function ecKey(kid: string) {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  return { kid, privateKey, publicKey, jwk };
}

/** The gateway's JWKS endpoint on loopback; `failWith(500)` / `failWith(429)` breaks it, `failWith()` heals it. */
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
    url: `http://127.0.0.1:${port}/certs`,
    fetches: () => fetches,
    failWith: (status?: number) => {
      failure = status;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

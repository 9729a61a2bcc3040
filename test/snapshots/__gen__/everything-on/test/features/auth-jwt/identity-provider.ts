/** A stand-in identity provider for the tests: real RS256 keys (test/helpers/jwks-server.ts), real tokens. */
import { type JWTPayload, SignJWT } from 'jose';
import type { SigningKey } from '../../helpers/jwks-server.js';

export const ISSUER = 'https://id.example.test/';
export const AUDIENCE = 'https://mcp.example.test/mcp';
export const now = () => Math.floor(Date.now() / 1000);

/** A token the server must accept, unless a case overrides a claim (`undefined` removes it), the key or the kid. */
export function signToken(key: SigningKey, claims: JWTPayload = {}, kid = key.kid) {
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

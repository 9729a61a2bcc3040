import { describe, expect, it } from 'vitest';
import { gatewayEnv } from '../../../src/features/auth-gateway/env.js';

const problems = (env: Record<string, string>) => {
  const result = gatewayEnv.safeParse(env);
  return result.success
    ? []
    : result.error.issues.map((issue) => `${String(issue.path[0])}: ${issue.message}`);
};
const secret = { GATEWAY_SECRET: 's'.repeat(32) };

describe('gateway configuration refuses unsafe setups at startup', () => {
  it('needs exactly one kind of proof', () => {
    expect(problems({})).toEqual([expect.stringMatching(/^GATEWAY_JWKS_URL: set exactly one of/)]);
    expect(problems(secret)).toEqual([]);
  });

  it('pins an assertion to its issuer and audience, over TLS', () => {
    expect(problems({ GATEWAY_JWKS_URL: 'https://gw.example.test/certs' })).toEqual([
      'GATEWAY_ISSUER: is required with GATEWAY_JWKS_URL',
      'GATEWAY_AUDIENCE: is required with GATEWAY_JWKS_URL',
    ]);
    expect(
      problems({
        GATEWAY_JWKS_URL: 'http://gw.example.test/certs',
        GATEWAY_ISSUER: 'i',
        GATEWAY_AUDIENCE: 'a',
      }),
    ).toEqual(['GATEWAY_JWKS_URL: must be an https URL (http only for loopback)']);
  });

  it('refuses symmetric or none algorithms, bad header names and bad address ranges', () => {
    expect(problems({ ...secret, GATEWAY_ALGORITHMS: 'ES256,HS256,none' })).toEqual([
      expect.stringMatching(/^GATEWAY_ALGORITHMS: HS256, none not allowed/),
    ]);
    expect(problems({ ...secret, GATEWAY_USER_HEADER: 'x user' })).toEqual([
      expect.stringMatching(/^GATEWAY_USER_HEADER/),
    ]);
    expect(problems({ ...secret, GATEWAY_TRUSTED_PROXIES: '10.0.0.0/8, 10.0.0.0/33, example.com' })).toEqual([
      'GATEWAY_TRUSTED_PROXIES: not an IP address or CIDR range: 10.0.0.0/33, example.com',
    ]);
  });
});

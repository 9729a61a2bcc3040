import { describe, expect, it } from 'vitest';
import { jwtEnv } from '../../../src/features/auth-jwt/env.js';

const base = { JWT_ISSUER: 'https://id.example.test/', JWT_AUDIENCE: 'https://mcp.example.test/mcp' };
const problems = (env: Record<string, string>) => {
  const result = jwtEnv.safeParse({ ...base, ...env });
  return result.success
    ? []
    : result.error.issues.map((issue) => `${String(issue.path[0])}: ${issue.message}`);
};

describe('jwt configuration refuses unsafe setups at startup', () => {
  it('needs exactly one key source', () => {
    expect(problems({})).toEqual([expect.stringMatching(/^JWT_JWKS_URL: set exactly one of/)]);
    expect(problems({ JWT_JWKS_URL: 'https://id.example.test/jwks', JWT_SECRET: 'x'.repeat(32) })).toEqual([
      expect.stringMatching(/^JWT_JWKS_URL: set exactly one of/),
    ]);
  });

  it('names every problem in one start, the cross-variable rules included', () => {
    const result = jwtEnv.safeParse({ JWT_AUDIENCE: 'my-api', JWT_ALGORITHMS: 'RS256,none' });
    const named = result.success ? [] : result.error.issues.map((issue) => String(issue.path[0]));
    expect(named.sort()).toEqual(['JWT_ALGORITHMS', 'JWT_AUDIENCE', 'JWT_ISSUER', 'JWT_JWKS_URL']);
  });

  it('pins algorithms to the key source: no none, no HS/RS mix', () => {
    const jwks = { JWT_JWKS_URL: 'https://id.example.test/jwks' };
    expect(problems({ ...jwks, JWT_ALGORITHMS: 'RS256,none' })).toEqual([
      expect.stringMatching(/^JWT_ALGORITHMS: none cannot be used with JWT_JWKS_URL/),
    ]);
    expect(problems({ ...jwks, JWT_ALGORITHMS: 'HS256' })).toHaveLength(1);
    expect(problems({ JWT_SECRET: 'x'.repeat(32), JWT_ALGORITHMS: 'RS256' })).toEqual([
      expect.stringMatching(/^JWT_ALGORITHMS: RS256 cannot be used with JWT_SECRET/),
    ]);
    expect(problems({ ...jwks, JWT_ALGORITHMS: 'RS256,ES256' })).toEqual([]);
  });

  it('refuses a short secret, a JWKS over plain http, and an audience that is not a URL', () => {
    expect(problems({ JWT_SECRET: 'too-short' })).toEqual([expect.stringMatching(/^JWT_SECRET:/)]);
    expect(problems({ JWT_JWKS_URL: 'http://id.example.test/jwks' })).toEqual([
      'JWT_JWKS_URL: must be an https URL (plain http is accepted for loopback only)',
    ]);
    expect(problems({ JWT_JWKS_URL: 'http://127.0.0.1:8080/jwks' })).toEqual([]);
    expect(problems({ JWT_JWKS_URL: 'https://id.example.test/jwks', JWT_AUDIENCE: 'my-api' })).toEqual([
      expect.stringMatching(/^JWT_AUDIENCE:/),
    ]);
  });
});

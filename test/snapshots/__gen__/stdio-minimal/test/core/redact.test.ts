import { describe, expect, it } from 'vitest';
import { isSecretKey, redactArgs } from '../../src/core/redact.js';

describe('redactArgs: tool arguments as they go into a log line', () => {
  it.each([
    'auth',
    'authToken',
    'Authorization',
    'bearer',
    'pwd',
    'db_password',
    'jwt',
    'key',
    'apiKey',
    'x-api-key',
    'API_KEY',
    'privateKey',
    'signature',
    'otp',
    'pin',
    'pinCode',
    'dsn',
    'SENTRY_DSN',
    'clientSecret',
    'refresh_token',
    'sessionId',
    'cookie',
  ])('masks the value of `%s`', (key) => {
    expect(isSecretKey(key), key).toBe(true);
    expect(redactArgs({ [key]: 'hunter2' })).toEqual({ [key]: '[REDACTED]' });
  });

  it.each(['keyword', 'monkey', 'shipping', 'author', 'authority', 'spinner', 'query', 'city'])(
    'keeps `%s` readable: a secret word must be a whole word of the key',
    (key) => {
      expect(isSecretKey(key), key).toBe(false);
    },
  );

  it('judges a name the same way every time, however many names came before (the verdicts are cached)', () => {
    const names = Array.from({ length: 1500 }, (_, i) => (i % 2 === 0 ? `field${i}` : `field${i}Token`));
    const first = names.map(isSecretKey);
    expect(names.map(isSecretKey)).toEqual(first);
    expect(first.filter(Boolean)).toHaveLength(750);
    expect(isSecretKey(`${'x'.repeat(100)}Password`)).toBe(true);
    expect(isSecretKey(`${'x'.repeat(100)}Password`)).toBe(true);
    expect(redactArgs({ apiKey: 'a', keyword: 'b' })).toEqual({ apiKey: '[REDACTED]', keyword: 'b' });
  });

  it('masks inline Bearer credentials in any string', () => {
    const args = {
      note: 'curl -H "Authorization: Bearer eyJhbGciOi.abc-def_123=" https://x',
      list: ['bearer abc'],
    };
    expect(redactArgs(args)).toEqual({
      note: 'curl -H "Authorization: Bearer [REDACTED]" https://x',
      list: ['bearer [REDACTED]'],
    });
  });

  it('masks nested secrets and cuts long values', () => {
    expect(redactArgs({ outer: { token: 'x', q: 'y'.repeat(250) } })).toEqual({
      outer: { token: '[REDACTED]', q: `${'y'.repeat(200)}…(+50 chars)` },
    });
  });
});

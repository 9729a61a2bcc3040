import { describe, expect, it } from 'vitest';
import { BUILT_ENTRY } from '../../helpers/process.js';
import { envelopeOf } from '../../helpers/results.js';
import { connectStdioClient } from '../../helpers/stdio.js';

describe('the Redis store over stdio', () => {
  it('is not needed: without REDIS_URL the one client is limited in memory, and the log says so', async () => {
    const { client, logs } = await connectStdioClient({ RATE_LIMIT_PER_MINUTE: '1' }, { entry: BUILT_ENTRY });
    try {
      const call = () =>
        client.callTool({
          name: 'convert_temperature_v2',
          arguments: { value: 20, from: 'celsius', to: 'fahrenheit' },
        });
      expect((await call()).isError).toBeFalsy();
      expect(envelopeOf(await call())).toMatchObject({ error: 'RATE_LIMITED', retryable: true });
      expect(logs.map((line) => line.msg)).toContain(
        'stdio without REDIS_URL: rate limits and budgets are counted in process memory',
      );
    } finally {
      await client.close();
    }
  });
});

import { describe, expect, it } from 'vitest';
import { BUILT_ENTRY } from '../../helpers/process.js';
import { connectStdioClient } from '../../helpers/stdio.js';

describe('metrics over stdio', () => {
  it('are not set up: a stdio server lives as long as its client, so there is nothing to scrape or warn about', async () => {
    const { client, logs } = await connectStdioClient({}, { entry: BUILT_ENTRY });
    try {
      await client.listTools();
      expect(logs.filter((line) => String(line.msg).includes('/metrics'))).toEqual([]);
    } finally {
      await client.close();
    }
  });
});

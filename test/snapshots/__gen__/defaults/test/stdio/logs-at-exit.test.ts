import { afterEach, describe, expect, it } from 'vitest';
import { FIXTURE_ENTRY } from '../helpers/process.js';
import { spawnStdioServer } from '../helpers/stdio.js';

/**
 * Log lines are written asynchronously (src/core/logger.ts), to stderr under stdio. The process must still
 * write every one of them before it exits: a burst of calls, SIGTERM the moment the last answer arrives, then
 * every call's line and the shutdown's last line must be in what the process wrote.
 */
const CALLS = 200;

let server: Awaited<ReturnType<typeof spawnStdioServer>> | undefined;
afterEach(() => {
  server?.child.kill('SIGKILL');
  server = undefined;
});

describe('log lines at exit under stdio', () => {
  it(`loses none of ${CALLS} calls' lines when SIGTERM follows the burst at once`, async () => {
    server = await spawnStdioServer(FIXTURE_ENTRY, { LOG_LEVEL: 'info' });
    const { client } = server;
    const results = await Promise.all(
      Array.from({ length: CALLS }, () => client.callTool({ name: 'whoami_v1', arguments: {} })),
    );
    server.child.kill('SIGTERM');
    expect(results.every((result) => result.isError !== true)).toBe(true);
    expect(await server.exited).toBe(0);

    const callLines = server.logs.filter((line) => line.msg === 'tool call' && line.tool === 'whoami_v1');
    expect(new Set(callLines.map((line) => line.requestId)).size).toBe(CALLS);
    expect(server.logs.at(-1)?.msg).toBe('stopped');
  });
});

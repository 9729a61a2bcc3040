import { afterEach, describe, it } from 'vitest';
import { expectEveryLineAtExit, FIXTURE_ENTRY } from '../helpers/process.js';
import { spawnStdioServer } from '../helpers/stdio.js';

/** No log line lost at exit under stdio, where the lines go to stderr (test/http has the same for HTTP). */
const CALLS = 200;

let server: Awaited<ReturnType<typeof spawnStdioServer>> | undefined;
afterEach(() => {
  server?.child.kill('SIGKILL');
  server = undefined;
});

describe('log lines at exit under stdio', () => {
  it(`loses none of ${CALLS} calls' lines when SIGTERM follows the burst at once`, async () => {
    server = await spawnStdioServer(FIXTURE_ENTRY, { LOG_LEVEL: 'info' });
    await expectEveryLineAtExit(server, server.client, CALLS);
  });
});

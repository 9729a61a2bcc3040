import { afterEach, describe, it } from 'vitest';
import { connectClient } from '../helpers/http-server.js';
import { expectEveryLineAtExit, FIXTURE_ENTRY, type ServerProcess, spawnServer } from '../helpers/process.js';

/** No log line lost at exit over HTTP, where the lines go to stdout (test/stdio has the same for stdio). */
const CALLS = 200;

let server: ServerProcess | undefined;
afterEach(() => {
  server?.child.kill('SIGKILL');
  server = undefined;
});

describe('log lines at exit', () => {
  it(`loses none of ${CALLS} calls' lines when SIGTERM follows the burst at once`, async () => {
    server = spawnServer(FIXTURE_ENTRY, { PORT: '0', LOG_LEVEL: 'info' });
    const ready = await server.waitForLog('the "ready" line', (line) => line.msg === 'ready');
    await expectEveryLineAtExit(server, await connectClient(new URL(String(ready.url))), CALLS);
  });
});

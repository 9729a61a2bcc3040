import { describe, expect, test } from 'vitest';
import { spawnServer } from '../../templates/base/test/helpers/process.js';

/**
 * The generated projects' process helper, imported from the template itself (it depends on Node only): a wait
 * for a log line that never comes must say what it waited for and what the process did instead, and must not sit
 * out its whole timeout when the process already died.
 */
const script = (code: string) => ['--input-type=module', '--eval', code];

describe('generated test/helpers/process.ts: waitForLog', () => {
  test('a process that exits first: the wait rejects at once, naming the line, the exit code and stderr', async () => {
    const server = spawnServer(
      script(`console.log(JSON.stringify({ level: 30, msg: 'starting' }));
        process.stderr.write('PORT: expected a TCP port\\n');
        process.exit(1);`),
      {},
    );
    // A timeout far beyond the test's own: only the exit can end this wait in time.
    const error = await server
      .waitForLog('the "ready" line', (line) => line.msg === 'ready', 3_600_000)
      .then(
        () => undefined,
        (reason: Error) => reason,
      );
    expect(error?.message).toContain('the server exited (code 1) before logging the "ready" line');
    expect(error?.message).toContain('30 starting');
    expect(error?.message).toContain('PORT: expected a TCP port');
  });

  test('a process that stays up without the line: the timeout names the line and the messages it did log', async () => {
    const server = spawnServer(
      script(`console.log(JSON.stringify({ level: 40, msg: 'listening somewhere else' }));
        setInterval(() => {}, 1000);`),
      {},
    );
    try {
      const error = await server
        .waitForLog('the "stopped" line', (line) => line.msg === 'stopped', 500)
        .then(
          () => undefined,
          (reason: Error) => reason,
        );
      expect(error?.message).toContain('waited 500 ms for the "stopped" line, which was never logged');
      expect(error?.message).toContain('40 listening somewhere else');
    } finally {
      server.child.kill('SIGKILL');
    }
  });
});

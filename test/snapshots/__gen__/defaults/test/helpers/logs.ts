import { Writable } from 'node:stream';

export type LogLine = Record<string, unknown>;

/** A pino destination that keeps every line, parsed, so tests can assert on what was logged. */
export function captureLogs(): { stream: Writable; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim() !== '') lines.push(JSON.parse(line) as LogLine);
      }
      done();
    },
  });
  return { stream, lines };
}

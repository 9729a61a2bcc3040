import { type DestinationStream, type LevelWithSilent, type Logger, pino } from 'pino';
import { currentRequest } from './context.js';

export interface LoggerOptions {
  name: string;
  level: LevelWithSilent;
  /**
   * Where JSON lines go. Under stdio, stdout is the MCP channel, so logs MUST go to stderr (fd 2);
   * under HTTP they go to stdout like any twelve-factor service. Tests pass an in-memory stream.
   */
  destination: 'stdout' | 'stderr' | DestinationStream;
}

/** The destinations createLogger opened (not a test's stream): the ones the exit path must write out. */
const buffered = new WeakSet<object>();

/**
 * Asynchronous writes: one synchronous write per line cost about a tenth of the server's time per call under
 * load (issue 15). A line is handed to the OS at once when no write is in flight; lines logged while one is
 * accumulate and go out together in the next write, so under load many lines share a write and none waits on
 * a timer. Every way out of the process writes out what is still held (flushLogs, flushLogsSync: lifecycle.ts).
 */
function bufferedDestination(fd: 1 | 2): DestinationStream {
  const stream = pino.destination({ fd, sync: false });
  buffered.add(stream);
  return stream;
}

/**
 * pino's ISO timestamp (`,"time":"2026-01-31T12:00:00.000Z"`), formatting the date once per second instead of
 * once per line: `new Date().toISOString()` on every line was a measurable share of the per-call log line.
 */
let second = Number.NaN;
let prefix = '';
export function isoTime(): string {
  const now = Date.now();
  const ms = now % 1000;
  if (now - ms !== second) {
    second = now - ms;
    prefix = new Date(second).toISOString().slice(0, 20); // up to and including the "."
  }
  return `,"time":"${prefix}${ms < 10 ? '00' : ms < 100 ? '0' : ''}${ms}Z"`;
}

/**
 * pino, JSON, one object per line. Every line written while a request is being served carries its IDs
 * (request, correlation, run, trace) through the mixin, so no code has to pass them around by hand.
 */
export function createLogger(options: LoggerOptions): Logger {
  const destination =
    typeof options.destination === 'string'
      ? bufferedDestination(options.destination === 'stderr' ? 2 : 1)
      : options.destination;
  return pino(
    {
      name: options.name,
      level: options.level,
      timestamp: isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin() {
        const request = currentRequest();
        if (request === undefined) return {};
        const ids: Record<string, string> = {
          requestId: request.requestId,
          correlationId: request.correlationId,
        };
        if (request.runId !== undefined) ids.runId = request.runId;
        if (request.traceId !== undefined) ids.traceId = request.traceId;
        if (request.spanId !== undefined) ids.spanId = request.spanId;
        return ids;
      },
    },
    destination,
  );
}

type Destination = ReturnType<typeof pino.destination>;

const destinationOf = (logger: Logger): Destination | undefined => {
  const stream = (logger as unknown as Record<symbol, unknown>)[pino.symbols.streamSym];
  return typeof stream === 'object' && stream !== null && buffered.has(stream)
    ? (stream as Destination)
    : undefined;
};

/**
 * Resolves once every line, including one being written right now, has reached the OS: a graceful exit
 * waits for it. Ends the destination (stdout and stderr themselves stay open), so call it last.
 */
export const flushLogs = (logger: Logger): Promise<void> =>
  new Promise((resolve) => {
    const stream = destinationOf(logger);
    if (stream === undefined) return resolve();
    stream.once('close', () => resolve());
    stream.once('error', () => resolve());
    try {
      stream.end();
    } catch {
      resolve(); // already closed: nothing left to write
    }
  });

/** Writes every held line now, synchronously: for exits that cannot wait (a crash, a second signal, a hang). */
export function flushLogsSync(logger: Logger): void {
  try {
    destinationOf(logger)?.flushSync();
  } catch {
    // Not open yet, or already closing: nothing it holds can be written from here.
  }
}

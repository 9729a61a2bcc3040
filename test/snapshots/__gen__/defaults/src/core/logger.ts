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

/**
 * pino, JSON, one object per line. Every line written while a request is being served carries its IDs
 * (request, correlation, run, trace) through the mixin, so no code has to pass them around by hand.
 */
export function createLogger(options: LoggerOptions): Logger {
  const destination =
    typeof options.destination === 'string'
      ? pino.destination({ fd: options.destination === 'stderr' ? 2 : 1, sync: true })
      : options.destination;
  return pino(
    {
      name: options.name,
      level: options.level,
      timestamp: pino.stdTimeFunctions.isoTime,
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

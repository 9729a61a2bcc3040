import { type ChildProcess, spawn } from 'node:child_process';
import type { LogLine } from './logs.js';

export interface ServerProcess {
  child: ChildProcess;
  /** JSON log lines the process wrote (stdout under HTTP, stderr under stdio). */
  logs: LogLine[];
  /** Everything written to stderr that was not a JSON log line. */
  stderr(): string;
  /** Resolves with the first log line matching, or rejects after `timeoutMs`. */
  waitForLog(match: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  exited: Promise<number | null>;
}

/** The built server, as production runs it. */
export const BUILT_ENTRY = ['dist/main.js'];
/** The same entry point with the fixture tools added, run from source. */
export const FIXTURE_ENTRY = ['--import', 'tsx', 'test/fixtures/server.ts'];

/** Starts the server as a child process with exactly `env` (plus PATH), reading its logs as they come. */
export function spawnServer(
  entry: readonly string[],
  env: Record<string, string>,
  args: string[] = [],
): ServerProcess {
  const child = spawn(process.execPath, [...entry, ...args], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'debug', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const logs: LogLine[] = [];
  const waiters = new Set<() => void>();
  let stderrText = '';
  const collect = (stream: NodeJS.ReadableStream | null, isStdout: boolean) => {
    let buffer = '';
    stream?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        if (line.startsWith('{"level"')) logs.push(JSON.parse(line) as LogLine);
        else if (!isStdout) stderrText += `${line}\n`;
      }
      for (const wake of waiters) wake();
    });
  };
  // Under stdio, stdout is the protocol: the caller owns it (an MCP client transport reads it).
  if (!args.includes('--stdio')) collect(child.stdout, true);
  collect(child.stderr, false);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const waitForLog = (match: (line: LogLine) => boolean, timeoutMs = 15_000) =>
    new Promise<LogLine>((resolve, reject) => {
      const check = () => {
        const found = logs.find(match);
        if (found === undefined) return;
        cleanup();
        resolve(found);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`no matching log line within ${timeoutMs} ms; stderr: ${stderrText}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
      check();
    });

  return { child, logs, stderr: () => stderrText, waitForLog, exited };
}

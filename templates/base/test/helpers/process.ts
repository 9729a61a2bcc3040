import { type ChildProcess, spawn } from 'node:child_process';
import type { Client } from '@modelcontextprotocol/client';
import { expect } from 'vitest';
import type { LogLine } from './logs.js';

export interface ServerProcess {
  child: ChildProcess;
  /** JSON log lines the process wrote (stdout under HTTP, stderr under stdio). */
  logs: LogLine[];
  /** Everything written to stderr that was not a JSON log line. */
  stderr(): string;
  /**
   * Resolves with the first log line matching. Rejects, naming `what` it waited for, as soon as the process
   * exits without writing it, or after `timeoutMs`; the error shows the log messages and stderr seen so far.
   */
  waitForLog(what: string, match: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
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
  let exitCode: number | null | undefined;
  // 'close', not 'exit': by then every line the process wrote has been read, so a last line is not missed.
  const exited = new Promise<number | null>((resolve) =>
    child.once('close', (code) => {
      exitCode = code;
      for (const wake of waiters) wake();
      resolve(code);
    }),
  );

  /** What a failed wait reports: the last messages logged and the stderr text, so the cause is in the error. */
  const seen = () => {
    const messages = logs.slice(-8).map((line) => `  ${String(line.level)} ${String(line.msg)}`);
    return `\nlast log lines:\n${messages.join('\n') || '  (none)'}\nstderr:\n${stderrText || '  (empty)'}`;
  };

  const waitForLog = (what: string, match: (line: LogLine) => boolean, timeoutMs = 15_000) =>
    new Promise<LogLine>((resolve, reject) => {
      const check = () => {
        const found = logs.find(match);
        if (found !== undefined) {
          cleanup();
          resolve(found);
        } else if (exitCode !== undefined) {
          cleanup();
          reject(new Error(`the server exited (code ${exitCode}) before logging ${what}${seen()}`));
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`waited ${timeoutMs} ms for ${what}, which was never logged${seen()}`));
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

/**
 * Log lines are written asynchronously (src/core/logger.ts), yet a process must write every one before it
 * exits, whatever the transport: `calls` calls at once through `client`, SIGTERM the moment the last answer
 * arrives, then every call's line and the shutdown's last line must be in what the process wrote.
 */
export async function expectEveryLineAtExit(server: ServerProcess, client: Client, calls: number) {
  const results = await Promise.all(
    Array.from({ length: calls }, () => client.callTool({ name: 'whoami_v1', arguments: {} })),
  );
  server.child.kill('SIGTERM');
  expect(results.every((result) => result.isError !== true)).toBe(true);
  expect(await server.exited).toBe(0);

  const callLines = server.logs.filter((line) => line.msg === 'tool call' && line.tool === 'whoami_v1');
  expect(new Set(callLines.map((line) => line.requestId)).size).toBe(calls);
  expect(server.logs.at(-1)?.msg).toBe('stopped');
}

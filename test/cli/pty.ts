import { spawn } from '@lydell/node-pty';
import { CLI } from './run-cli.js';

/**
 * The CLI in a real pseudo-terminal: stdin and stdout are TTYs, so it prompts exactly as for a person.
 * `expect(text)` waits for text to appear after the last match (so each prompt is answered once), then
 * `send` types keys. Output is kept with ANSI sequences stripped for assertions.
 */
export interface Session {
  expect(text: string, timeoutMs?: number): Promise<void>;
  send(keys: string): void;
  exit: Promise<number>;
  output(): string;
}

export const KEY = {
  enter: '\r',
  down: '\u001b[B',
  up: '\u001b[A',
  left: '\u001b[D',
  right: '\u001b[C',
  ctrlC: '\u0003',
};

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching terminal escape sequences is the point.
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]|\u001b\][^\u0007]*\u0007/g;

export function startCli(cwd: string, args: string[]): Session {
  const term = spawn('node', [CLI, ...args], {
    name: 'xterm-256color',
    cols: 120,
    rows: 40,
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: cwd, TERM: 'xterm-256color', GIT_CONFIG_NOSYSTEM: '1' },
  });
  let raw = '';
  let consumed = 0;
  const waiters = new Set<() => void>();
  term.onData((data) => {
    raw += data;
    for (const wake of waiters) wake();
  });
  const exit = new Promise<number>((resolve) => term.onExit(({ exitCode }) => resolve(exitCode)));
  const text = () => raw.replace(ANSI, '');

  return {
    send: (keys) => term.write(keys),
    output: text,
    exit,
    expect: (wanted, timeoutMs = 10_000) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          const at = text().indexOf(wanted, consumed);
          if (at === -1) return;
          consumed = at + wanted.length;
          cleanup();
          resolve();
        };
        const timer = setTimeout(() => {
          cleanup();
          term.kill();
          reject(new Error(`timed out waiting for ${JSON.stringify(wanted)}; output so far:\n${text()}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      }),
  };
}

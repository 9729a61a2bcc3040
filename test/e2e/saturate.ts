import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { availableParallelism } from 'node:os';

/**
 * Keeps every core busy with other processes, the way a noisy neighbour or a build on the same machine does:
 * one busy-loop child per core, each ending by itself after `maxMs` (so a crashed test cannot leave them
 * spinning) and killed by `stop()` as soon as the measurement is over.
 */
export function saturateCores(maxMs: number): { stop(): Promise<void> } {
  const loop = `const end = Date.now() + ${maxMs}; while (Date.now() < end);`;
  const children: ChildProcess[] = Array.from({ length: availableParallelism() }, () =>
    spawn(process.execPath, ['-e', loop], { stdio: 'ignore' }),
  );
  return {
    async stop() {
      await Promise.all(
        children.map(async (child) => {
          if (child.exitCode !== null || child.signalCode !== null) return;
          const exited = once(child, 'exit');
          child.kill('SIGKILL');
          await exited;
        }),
      );
    },
  };
}

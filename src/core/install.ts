import { execa } from 'execa';
import kleur from 'kleur';
import type { PackageManager } from './answers.js';

export interface StepResult {
  ok: boolean;
  /** What to tell the user: why it was skipped or what failed. */
  detail?: string;
  /** The user interrupted it (Ctrl-C, SIGINT or SIGTERM): the caller stops, exits 130 and says how to finish. */
  interrupted?: NodeJS.Signals;
}

interface Progress {
  start(message: string): void;
  stop(message: string): void;
  error(message: string): void;
}

/** In logs (CI, agents, pipes): one line per state, no redraw codes. */
const plainProgress = (): Progress => ({
  start: (message) => process.stdout.write(`… ${message}\n`),
  stop: (message) => process.stdout.write(`✔ ${message}\n`),
  error: (message) => process.stdout.write(`✖ ${message}\n`),
});

/**
 * On a terminal: a spinner that only writes. Not clack's: its spinner puts stdin in raw mode, where Ctrl-C is a
 * keypress it answers with exit code 0 (leaving the package manager running) instead of the SIGINT the terminal
 * sends the whole process group, which is what lets both stop cleanly.
 */
function terminalProgress(): Progress {
  const frames = ['◒', '◐', '◓', '◑'];
  let frame = 0;
  let timer: NodeJS.Timeout | undefined;
  const line = (text: string) => process.stdout.write(`\r\u001b[2K${text}`);
  const end = (text: string) => {
    clearInterval(timer);
    line(`${text}\n`);
  };
  return {
    start(message) {
      const draw = () => line(`${kleur.magenta(frames[frame++ % frames.length] ?? '')}  ${message}`);
      draw();
      timer = setInterval(draw, 120);
    },
    stop: (message) => end(`${kleur.green('◇')}  ${message}`),
    error: (message) => end(`${kleur.red('■')}  ${message}`),
  };
}

/**
 * `<pm> install` in the new project behind a spinner. A failed install leaves a complete project (the files
 * were already written atomically), so it is reported with the command to retry, not rolled back.
 *
 * Ctrl-C: the terminal signals the whole foreground group, so the package manager stops on its own; a signal
 * sent to this process alone (`kill -INT`, a supervisor's SIGTERM) is passed on to it. Either way we wait for it
 * to exit, so nothing keeps writing into the project after we return `interrupted`.
 */
export async function installDependencies(dir: string, pm: PackageManager): Promise<StepResult> {
  // A spinner only on a terminal: in CI logs and agent transcripts its redraw codes are noise.
  const spin = process.stdout.isTTY ? terminalProgress() : plainProgress();
  spin.start(`Installing dependencies with ${pm}`);
  const child = execa(pm, ['install', ...(pm === 'pnpm' ? ['--no-frozen-lockfile'] : [])], {
    cwd: dir,
    stdin: 'ignore',
    all: true,
    // We install right after writing package.json, so the lockfile must change with it, which pnpm and Yarn
    // (berry) refuse by default under CI (frozen / immutable installs).
    env: pm === 'yarn' ? { YARN_ENABLE_IMMUTABLE_INSTALLS: 'false' } : {},
  });
  let interrupted: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupted = signal;
    child.kill(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    await child;
    if (interrupted !== undefined) throw new Error('interrupted');
    spin.stop(`Installed dependencies with ${pm}`);
    return { ok: true };
  } catch (error) {
    if (interrupted !== undefined) {
      spin.error(`Interrupted: ${pm} install did not finish`);
      return { ok: false, interrupted, detail: `${pm} install was interrupted (${interrupted})` };
    }
    const output = (error as { all?: string; shortMessage?: string }).all ?? (error as Error).message;
    const tail = output.trim().split('\n').slice(-15).join('\n');
    spin.error(`${pm} install failed`);
    return { ok: false, detail: `${tail}\nRun \`${pm} install\` in ${dir} to retry.` };
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

import { spinner } from '@clack/prompts';
import { execa } from 'execa';
import type { PackageManager } from './answers.js';

export interface StepResult {
  ok: boolean;
  /** What to tell the user: why it was skipped or what failed. */
  detail?: string;
}

/** The spinner's interface, printing one line per state for logs. */
const plainProgress = () => ({
  start: (msg: string) => process.stdout.write(`… ${msg}\n`),
  stop: (msg: string) => process.stdout.write(`✔ ${msg}\n`),
  error: (msg: string) => process.stdout.write(`✖ ${msg}\n`),
});

/**
 * `<pm> install` in the new project behind a spinner. A failed install leaves a complete project (the files
 * were already written atomically), so it is reported with the command to retry, not rolled back.
 */
export async function installDependencies(dir: string, pm: PackageManager): Promise<StepResult> {
  // A spinner only on a terminal: in CI logs and agent transcripts its redraw codes are noise.
  const spin = process.stdout.isTTY ? spinner() : plainProgress();
  spin.start(`Installing dependencies with ${pm}`);
  try {
    await execa(pm, ['install'], { cwd: dir, stdin: 'ignore', all: true });
    spin.stop(`Installed dependencies with ${pm}`);
    return { ok: true };
  } catch (error) {
    const output = (error as { all?: string; shortMessage?: string }).all ?? (error as Error).message;
    const tail = output.trim().split('\n').slice(-15).join('\n');
    spin.error(`${pm} install failed`);
    return { ok: false, detail: `${tail}\nRun \`${pm} install\` in ${dir} to retry.` };
  }
}

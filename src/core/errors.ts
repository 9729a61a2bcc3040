/**
 * A problem with how the generator was invoked (bad flag, bad value, contradictory choices, a directory we
 * will not write into). The CLI prints the message and exits with `exitCode` (2, like most Unix tools do for
 * usage errors) before anything is written.
 */
export class UsageError extends Error {
  readonly exitCode: number;

  constructor(message: string, exitCode = 2) {
    super(message);
    this.name = 'UsageError';
    this.exitCode = exitCode;
  }
}

/** The user pressed Ctrl-C at a prompt; nothing was written (exit 130, as for SIGINT). */
export class Cancelled extends Error {
  constructor() {
    super('Cancelled; nothing was written.');
    this.name = 'Cancelled';
  }
}

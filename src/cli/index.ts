#!/usr/bin/env node
import { Cancelled, UsageError } from '../core/errors.js';
import { GENERATOR } from '../core/version.js';
import { parseArgs } from './args.js';
import { HELP } from './help.js';
import { fail, out } from './ui.js';

/** The bin: parse, dispatch, and turn every failure into a message and an exit code (see --help). */
async function main(argv: readonly string[]): Promise<number> {
  try {
    const args = parseArgs(argv);
    if (args.help) {
      out(HELP);
      return 0;
    }
    if (args.version) {
      out(GENERATOR.version);
      return 0;
    }
    // Each command is loaded on demand so `--help` and `--version` stay instant.
    if (args.command === 'add') return await (await import('./add.js')).runAdd(args);
    if (args.command === 'update') return await (await import('./update.js')).runUpdate(args);
    return await (await import('./create.js')).runCreate(args);
  } catch (error) {
    if (error instanceof Cancelled) return 130;
    if (error instanceof UsageError) {
      fail(error.message);
      return error.exitCode;
    }
    fail(error instanceof Error ? (error.stack ?? error.message) : String(error));
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));

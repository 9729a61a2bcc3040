import type { Answers } from './answers.js';

/**
 * How a generated file is treated when the project is regenerated (see ARCHITECTURE.md, "File classes").
 * - managed: regenerated every time; a user edit is reported as a conflict, never overwritten.
 * - seed: written once, then the user's; never touched again.
 * - merged: three-way merged (base = what we wrote last time, ours = disk, theirs = new render).
 * - structured: edited as data (package.json keys, .env.example keys, tsconfig).
 */
export type FileClass = 'managed' | 'seed' | 'merged' | 'structured';

/** One environment variable a feature reads; drives .env.example and the README's config table. */
export interface EnvVar {
  name: string;
  description: string;
  /** Value written to .env.example (commented out when `required` is false and no default applies). */
  example: string;
  required?: boolean;
  /**
   * The value the server uses when the variable is unset. When given, .env.example shows `NAME=<default>`
   * live; an optional variable without one is written commented out (`# NAME=<example>`).
   */
  default?: string;
  /** Secrets are never given a real-looking example value. */
  secret?: boolean;
}

/**
 * A feature's manifest: everything the generator needs to know about it, declared as data.
 * Its templates live in `templates/<id>/`, with paths mirroring the generated repository.
 * A file named `*.hbs` is rendered with Handlebars (suffix stripped); every other file is copied as is.
 * A leading `_` in a path segment becomes `.` (`_gitignore`, `_github/`) so dotfiles survive `npm publish`.
 */
export interface FeatureManifest {
  /** Folder name under templates/ and the id recorded in the lock file. */
  id: string;
  title: string;
  /** One-line hint shown by prompts and --help. */
  hint?: string;
  /** Exclusive group: at most one feature of a slot is on; choosing another switches. */
  slot?: 'transport' | 'auth' | 'rate-limit';
  /** Whether this feature is part of a project with these answers. */
  enabled(answers: Answers): boolean;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  scripts?: Record<string, string>;
  env?: EnvVar[];
  /**
   * The runtime module this feature adds to the generated `src/features.generated.ts`
   * (a `FeatureModule` export of the generated server; see templates/base/src/core/feature.ts).
   */
  module?: { from: string; export: string };
  /**
   * A generated-project module that must load before the entry: `node --import <preload> dist/main.js`
   * (OpenTelemetry instrumentation has to patch `http` and `redis` before the server imports them).
   * Every way the server is started (npm start, Dockerfile CMD, systemd ExecStart) must pass it.
   */
  preload?: string;
  /**
   * Shell lines the user runs before the first `dev` start, in the "Next steps" block after `cp .env.example
   * .env`: commands, with a `# comment` saying what to do by hand with their output (paste a key into .env),
   * or a comment alone for a value only the user has (an issuer URL). Printed in feature order, run in that
   * order by test/e2e/printed-commands.test.ts.
   */
  setup?(answers: Answers): string[];
  /** Notes under the "next steps" block printed after create/add (wrapped; commands in backticks). */
  nextSteps?(answers: Answers): string[];
}

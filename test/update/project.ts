import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { execaSync } from 'execa';
import { vi } from 'vitest';
import { parseArgs } from '../../src/cli/args.js';
import type { Answers } from '../../src/core/answers.js';

/**
 * Real generated projects for the update battery: created by the real `create` command (in process, so a
 * run takes milliseconds), committed with git, then changed by the real `add` / `update` commands. Templates
 * are the live ones: every expectation is derived from a fresh render, never from a copy.
 */

const roots: string[] = [];

/** Runs a CLI command in process; returns its exit code and everything it printed. */
export async function cli(argv: string[]): Promise<{ code: number; output: string }> {
  const printed: string[] = [];
  const capture = (chunk: unknown) => {
    printed.push(String(chunk));
    return true;
  };
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  try {
    const args = parseArgs(argv);
    const code =
      args.command === 'add'
        ? await (await import('../../src/cli/add.js')).runAdd(args)
        : args.command === 'update'
          ? await (await import('../../src/cli/update.js')).runUpdate(args)
          : await (await import('../../src/cli/create.js')).runCreate(args);
    return { code, output: printed.join('') };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}

const IDENTITY = ['-c', 'user.name=Test User', '-c', 'user.email=test@example.com'];

export const git = (dir: string, args: string[]): string =>
  execaSync('git', [...IDENTITY, ...args], { cwd: dir, stdin: 'ignore' }).stdout;

export function commitAll(dir: string, message = 'work'): void {
  git(dir, ['add', '--all']);
  git(dir, ['commit', '--quiet', '--no-verify', '--allow-empty', '-m', message]);
}

export const isClean = (dir: string): boolean => git(dir, ['status', '--porcelain']).trim() === '';

/** A new temp folder, removed by cleanup(). */
export function scratchDir(prefix = 'prod-mcp-update-'): string {
  const root = mkdtempSync(join(tmpdir(), prefix));
  roots.push(root);
  return root;
}

/** `create-prod-mcp <dir> --yes --no-install <flags>` with git (a first commit), as a user would run it. */
export async function createProject(flags: string[], name = 'demo'): Promise<string> {
  const dir = join(scratchDir(), name);
  const { code, output } = await cli([dir, '--yes', '--no-install', '--name', name, ...flags]);
  if (code !== 0) throw new Error(`create ${flags.join(' ')} failed (${code}):\n${output}`);
  if (!isClean(dir)) commitAll(dir, 'generated');
  return dir;
}

/** Every file of a project except .git, path → text. */
export function readTree(dir: string): Map<string, string> {
  const tree = new Map<string, string>();
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder)) {
      if (entry === '.git' || entry === 'node_modules') continue;
      const full = join(folder, entry);
      if (statSync(full).isDirectory()) walk(full);
      else tree.set(relative(dir, full), readFileSync(full, 'utf8'));
    }
  };
  walk(dir);
  return new Map([...tree.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export const read = (dir: string, path: string): string => readFileSync(join(dir, path), 'utf8');

/** Removes every scratch folder; use as `afterAll(cleanup, CLEANUP_TIMEOUT)` (dozens of projects with .git). */
export async function cleanup(): Promise<void> {
  await Promise.all(roots.splice(0).map((root) => rm(root, { recursive: true, force: true })));
}

export const CLEANUP_TIMEOUT = 120_000;

/** The create flags that give exactly these answers. */
export const flagsOf = (a: Answers): string[] => [
  '--transport',
  a.transport,
  '--auth',
  a.auth,
  '--rate-limit',
  a.rateLimit,
  ...(['docker', 'systemd', 'k8s', 'otel', 'metrics'] as const).map((key) =>
    a[key] ? `--${key}` : `--no-${key}`,
  ),
];

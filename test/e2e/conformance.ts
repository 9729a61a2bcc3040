import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { ensureNode24, NODE24_BIN } from './node.js';
import { REPO_ROOT } from './superset.js';

/**
 * The official MCP conformance suite (`@modelcontextprotocol/conformance`), pinned like the generated projects
 * pin it (their `npm run conformance`). It needs Node >= 22, so it runs on the Node 24 the e2e matrix uses,
 * installed once into .cache/ for measuring servers that are not generated projects (the bare SDK server).
 */
export const CONFORMANCE_VERSION = '0.2.0-alpha.12';
export const REVISIONS = ['2026-07-28', '2025-11-25'] as const;
const DIR = join(REPO_ROOT, '.cache', `conformance-${CONFORMANCE_VERSION}`);
const CLI = join(DIR, 'node_modules', '@modelcontextprotocol', 'conformance', 'dist', 'index.js');

let installed: Promise<void> | undefined;

function ensureInstalled(): Promise<void> {
  installed ??= existsSync(CLI)
    ? Promise.resolve()
    : execa('npm', [
        'install',
        '--prefix',
        DIR,
        '--no-save',
        '--no-audit',
        '--no-fund',
        '--no-package-lock',
        `@modelcontextprotocol/conformance@${CONFORMANCE_VERSION}`,
      ]).then(() => undefined);
  return installed;
}

export interface Score {
  revision: string;
  /** Scored scenarios (the revision's frozen requirement set) that passed, of how many. */
  passed: number;
  total: number;
  /** Scored scenarios with a failing check. */
  failing: string[];
}

/**
 * Reads one `conformance server --requirements <revision>` report: every scenario's line (`✓ name: …` or
 * `✗ name: …`), minus those the suite lists under "Not scored for <revision>".
 */
export function parseScore(revision: string, report: string): Score {
  const [scoredPart = '', notScoredPart = ''] = report.split(`Not scored for ${revision}`);
  const lines = [...scoredPart.matchAll(/^([✓✗]) ([\w/-]+): \d+ passed, \d+ failed/gm)];
  const notScored = new Set([...notScoredPart.matchAll(/^\s+[✓✗] ([\w/-]+) \(/gm)].map((m) => m[1]));
  const scored = lines.filter((m) => !notScored.has(m[2] ?? ''));
  const failing = scored.filter((m) => m[1] === '✗').map((m) => m[2] ?? '');
  return { revision, passed: scored.length - failing.length, total: scored.length, failing };
}

/** `npm run conformance`'s output, split per revision (run.ts prints a `# … --requirements <revision>` header). */
export function parseProjectRun(output: string): Score[] {
  return REVISIONS.map((revision) => {
    const start = output.indexOf(`--requirements ${revision} against`);
    const next = REVISIONS.map((r) => output.indexOf(`--requirements ${r} against`)).filter((i) => i > start);
    return parseScore(revision, output.slice(start, next.length > 0 ? Math.min(...next) : undefined));
  });
}

/** The tasks extension's scenarios in the suite: it runs them unscored ("Not scored … (extension)"); we score them. */
export const TASK_SCENARIOS = 10;

/** The `tasks-*` lines of one report: which passed, which failed. */
export function parseTasks(report: string): { passed: string[]; failing: string[] } {
  const lines = [...report.matchAll(/^\s+([✓✗]) (tasks-[\w-]+) \(extension\)/gm)];
  return {
    passed: lines.filter((m) => m[1] === '✓').map((m) => m[2] ?? ''),
    failing: lines.filter((m) => m[1] === '✗').map((m) => m[2] ?? ''),
  };
}

/** Runs the suite's requirement set for `revision` against `url`; the suite exits 0 only when every scored scenario passes. */
export async function runSuite(
  url: URL,
  revision: string,
): Promise<Score & { exitCode: number; output: string }> {
  await Promise.all([ensureInstalled(), ensureNode24()]);
  const result = await execa(
    join(NODE24_BIN, 'node'),
    [CLI, 'server', '--url', url.href, '--requirements', revision],
    { cwd: DIR, reject: false, all: true, timeout: 180_000, env: { NO_COLOR: '1' } },
  );
  const output = result.all ?? '';
  return { ...parseScore(revision, output), exitCode: result.exitCode ?? -1, output };
}

export const describeScore = (s: Score) =>
  `${s.revision} ${s.passed}/${s.total}${s.failing.length > 0 ? ` (failing: ${s.failing.join(', ')})` : ''}`;

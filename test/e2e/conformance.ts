import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { ensureNode24, NODE24_BIN } from './node.js';
import { REPO_ROOT } from './superset.js';

/**
 * The official MCP conformance suite (`@modelcontextprotocol/conformance`). It needs Node >= 22, so it runs on
 * the Node 24 the e2e matrix already uses, installed once into .cache/conformance/ (pinned: its scenarios and
 * output format move between releases).
 */
const VERSION = '0.1.16';
const DIR = join(REPO_ROOT, '.cache', 'conformance');
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
        `@modelcontextprotocol/conformance@${VERSION}`,
      ]).then(() => undefined);
  return installed;
}

export interface ScenarioResult {
  scenario: string;
  passed: number;
  total: number;
  exitCode: number;
  output: string;
}

/** Runs one server scenario against `url`; `passed`/`total` are the suite's own check counts. */
export async function runConformance(url: URL, scenario: string): Promise<ScenarioResult> {
  await Promise.all([ensureInstalled(), ensureNode24()]);
  const result = await execa(
    join(NODE24_BIN, 'node'),
    [CLI, 'server', '--url', url.href, '--scenario', scenario],
    {
      cwd: DIR,
      reject: false,
      all: true,
      timeout: 120_000,
      env: { NO_COLOR: '1' },
    },
  );
  const output = result.all ?? '';
  const counts = /Passed: (\d+)\/(\d+)/.exec(output);
  return {
    scenario,
    passed: Number(counts?.[1] ?? 0),
    total: Number(counts?.[2] ?? 0),
    exitCode: result.exitCode ?? -1,
    output,
  };
}

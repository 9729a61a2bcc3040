import { relative } from 'node:path';
import { type Answers, pmOf } from '../core/answers.js';
import { installCommand, runScript } from '../core/package-manager.js';
import type { VirtualTree } from '../core/tree.js';
import { generatorCommand } from '../core/version.js';
import { FEATURES } from '../features/index.js';
import { color, shellQuote } from './ui.js';

/** The one-line command that reproduces an interactive run (printed after it, so it can be scripted). */
export function equivalentCommand(
  directory: string,
  answers: Answers,
  run: { install: boolean; git: boolean },
): string {
  const flags = [
    `--name ${shellQuote(answers.name)}`,
    `--transport ${answers.transport}`,
    ...(answers.transport === 'stdio' ? [] : [`--auth ${answers.auth}`, `--rate-limit ${answers.rateLimit}`]),
    answers.docker ? '--docker' : '--no-docker',
    ...(answers.transport === 'stdio' ? [] : [answers.systemd ? '--systemd' : '--no-systemd']),
    ...(answers.transport === 'stdio' || !answers.docker ? [] : [answers.k8s ? '--k8s' : '--no-k8s']),
    answers.otel ? '--otel' : '--no-otel',
    ...(answers.transport === 'stdio' ? [] : [answers.metrics ? '--metrics' : '--no-metrics']),
    `--pm ${pmOf(answers)}`,
    ...(run.install ? [] : ['--no-install']),
    ...(run.git ? [] : ['--no-git']),
    '--yes',
  ];
  return `${generatorCommand()} ${shellQuote(directory)} ${flags.join(' ')}`;
}

/**
 * Breaks `text` into lines of at most `width` columns (a longer word stays whole), never inside a
 * `backticked command`, so every command stays on one line and can be copied as printed.
 */
export function wrap(text: string, width: number): string[] {
  const words = text.match(/`[^`]*`\S*|\S+/g) ?? [];
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** `command   # comment` lines with their comments in one column, as a person would write them. */
function alignComments(lines: readonly string[]): string[] {
  const split = lines.map((line) => /^(\S.*?)\s+(# .*)$/.exec(line));
  const column = Math.max(0, ...split.map((m) => (m?.[1] ?? '').length)) + 2;
  return lines.map((line, i) => {
    const m = split[i];
    return m?.[1] && m[2] ? `${m[1].padEnd(column)}${m[2]}` : line;
  });
}

/** Lines for a terminal of `columns` (not a terminal: 100), never narrower than 60. */
const widthFor = (columns: number | undefined): number => Math.max(60, Math.min(columns ?? 100, 100));

/**
 * "Next steps": the shell lines to type now, in order (cd, install when it did not run, .env, the features'
 * setup, `dev`), then the chosen features' notes. Every command is in the project's package manager, and
 * test/e2e/printed-commands.test.ts runs them all as printed.
 */
export function nextSteps(
  target: string,
  answers: Answers,
  tree: VirtualTree,
  installed: boolean,
  columns: number | undefined = process.stdout.columns,
): string {
  const pm = pmOf(answers);
  const scripts =
    (JSON.parse(tree.get('package.json') ?? '{}') as { scripts?: Record<string, string> }).scripts ?? {};
  const enabled = FEATURES.filter((f) => f.enabled(answers));
  const rel = relative(process.cwd(), target);
  const dir = rel === '' ? '.' : rel.startsWith('..') ? target : rel;
  const lines = [
    ...(dir === '.' ? [] : [`cd ${shellQuote(dir)}`]),
    ...(installed ? [] : [installCommand(pm)]),
    ...(tree.has('.env.example') ? ['cp .env.example .env'] : []),
    ...enabled.flatMap((f) => f.setup?.(answers) ?? []),
    // How to start working; the notes below say how to build, test and deploy.
    ...(scripts.dev === undefined ? [] : [`${runScript(pm, 'dev')}  # reloads on change`]),
  ];
  const width = widthFor(columns);
  const notes = enabled.flatMap((f) => f.nextSteps?.(answers) ?? []);
  const block = [color.bold('Next steps:'), ...alignComments(lines).map((l) => `  ${color.cyan(l)}`)];
  if (notes.length > 0) {
    block.push('');
    for (const note of notes) {
      const [first = '', ...rest] = wrap(note, width - 4);
      block.push(`  • ${first}`, ...rest.map((l) => `    ${l}`));
    }
  }
  return block.join('\n');
}

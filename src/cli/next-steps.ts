import { relative } from 'node:path';
import type { Answers, PackageManager } from '../core/answers.js';
import { runScript } from '../core/package-manager.js';
import type { VirtualTree } from '../core/tree.js';
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
    ...(run.install ? [] : ['--no-install']),
    ...(run.git ? [] : ['--no-git']),
    '--yes',
  ];
  return `npx create-prod-mcp@latest ${shellQuote(directory)} ${flags.join(' ')}`;
}

/** "Next steps": what to type now, from the project's own scripts and the chosen features' notes. */
export function nextSteps(
  target: string,
  answers: Answers,
  tree: VirtualTree,
  pm: PackageManager,
  installed: boolean,
): string {
  const scripts =
    (JSON.parse(tree.get('package.json') ?? '{}') as { scripts?: Record<string, string> }).scripts ?? {};
  const rel = relative(process.cwd(), target);
  const dir = rel === '' ? '.' : rel.startsWith('..') ? target : rel;
  const lines = [
    ...(dir === '.' ? [] : [`cd ${shellQuote(dir)}`]),
    ...(installed ? [] : [`${pm} install`]),
    ...(tree.has('.env.example') ? ['cp .env.example .env'] : []),
    // How to start working; the features' own notes below say how to build, test and deploy.
    ...(scripts.dev === undefined ? [] : [runScript(pm, 'dev')]),
  ];
  const notes = FEATURES.filter((f) => f.enabled(answers)).flatMap((f) => f.nextSteps?.(answers) ?? []);
  const block = [color.bold('Next steps:'), ...lines.map((l) => `  ${color.cyan(l)}`)];
  if (notes.length > 0) block.push('', ...notes.map((n) => `  • ${n}`));
  return block.join('\n');
}

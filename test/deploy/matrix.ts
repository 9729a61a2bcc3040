import type { Answers } from '../../src/core/answers.js';
import { render } from '../../src/core/render.js';
import { loadTemplates } from '../../src/core/templates.js';
import type { VirtualTree } from '../../src/core/tree.js';
import { allValidAnswers } from '../../src/core/validate.js';

/**
 * The option matrix the deploy checks run over: every valid combination of answers, rendered in memory.
 * A scoped, dotted name exercises the slug used for unit, image and Kubernetes names.
 */
export const NAME = '@acme/weather.api';
export const SLUG = 'weather-api';

export interface Case {
  answers: Answers;
  tree: VirtualTree;
  label: string;
}

/** "both api-key memory +docker +k8s" — the answers in one line, for test names and failure messages. */
export function describeAnswers(a: Answers): string {
  const flags = (['docker', 'systemd', 'k8s', 'otel', 'metrics'] as const).filter((key) => a[key]);
  return [a.transport, a.auth, a.rateLimit, ...flags.map((flag) => `+${flag}`)].join(' ');
}

let cases: Case[] | undefined;

export function matrix(): Case[] {
  if (!cases) {
    const templates = loadTemplates();
    cases = [...allValidAnswers(NAME)].map((answers) => ({
      answers,
      tree: render(answers, { templates }),
      label: describeAnswers(answers),
    }));
  }
  return cases;
}

/** One distinct text of a generated file, with every matrix case that produced it. */
export interface Variant {
  path: string;
  text: string;
  cases: Case[];
  /** For test names: the first case and how many more share these bytes. */
  label: string;
}

/**
 * Groups the matrix by the bytes of the files at `paths`: expensive checks (systemd-analyze, schema
 * validation) then run once per distinct file, and still cover every case that renders it.
 */
export function variants(select: (path: string) => boolean): Variant[] {
  const byText = new Map<string, Variant>();
  for (const c of matrix()) {
    for (const [path, text] of c.tree) {
      if (!select(path)) continue;
      const key = `${path}\0${text}`;
      const variant = byText.get(key) ?? { path, text, cases: [], label: '' };
      variant.cases.push(c);
      byText.set(key, variant);
    }
  }
  return [...byText.values()].map((v) => ({
    ...v,
    label: `${v.path} [${v.cases[0]?.label}${v.cases.length > 1 ? ` +${v.cases.length - 1} more` : ''}]`,
  }));
}

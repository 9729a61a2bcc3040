import type { Answers } from '../core/answers.js';
import { UsageError } from '../core/errors.js';
import { didYouMean } from '../core/suggest.js';
import { type AnswerInput, combinationProblems, defaultsFor, resolveAnswers } from '../core/validate.js';

/**
 * How `add <feature...>` and `update [--flags]` turn the lock's answers into new ones.
 *
 * `add` names features. Slot features switch their slot (`add jwt` on an api-key project means jwt instead);
 * `add http` on a stdio project means both transports (the stdio entry keeps working for local clients), and
 * likewise `add stdio` on an http project. Removing a feature or narrowing the transport is `update`'s job:
 * `update --no-docker`, `update --auth none`, `update --transport http`.
 */

export const ADDABLE = [
  'http',
  'stdio',
  'api-key',
  'jwt',
  'gateway',
  'memory',
  'redis',
  'docker',
  'systemd',
  'k8s',
  'otel',
  'metrics',
] as const;
export type Addable = (typeof ADDABLE)[number];

/** Feature ids and a few natural spellings accepted as well, so `add auth-jwt` or `add prometheus` just work. */
const ALIASES: Record<string, Addable> = {
  'auth-api-key': 'api-key',
  apikey: 'api-key',
  'auth-jwt': 'jwt',
  oauth: 'jwt',
  'auth-gateway': 'gateway',
  'rate-limit-memory': 'memory',
  'rate-limit-redis': 'redis',
  kubernetes: 'k8s',
  opentelemetry: 'otel',
  prometheus: 'metrics',
};

const SLOT: Partial<Record<Addable, 'auth' | 'rateLimit'>> = {
  'api-key': 'auth',
  jwt: 'auth',
  gateway: 'auth',
  memory: 'rateLimit',
  redis: 'rateLimit',
};

const NEEDS_HTTP: readonly Addable[] = [
  'api-key',
  'jwt',
  'gateway',
  'memory',
  'redis',
  'metrics',
  'systemd',
  'k8s',
];

function normalize(name: string): Addable {
  const lower = name.toLowerCase();
  if ((ADDABLE as readonly string[]).includes(lower)) return lower as Addable;
  const alias = ALIASES[lower];
  if (alias) return alias;
  const hint = didYouMean(lower, [...ADDABLE, ...Object.keys(ALIASES)], (f) => `add ${ALIASES[f] ?? f}`);
  throw new UsageError(`Unknown feature "${name}".${hint} Features you can add: ${ADDABLE.join(', ')}`);
}

/** The answers after `add <names...>`; every problem names the feature and the command that works. */
export function answersAfterAdd(current: Answers, names: readonly string[]): Answers {
  if (names.length === 0) {
    throw new UsageError(
      `Name at least one feature to add, e.g. \`create-prod-mcp add redis\`. Features: ${ADDABLE.join(', ')}`,
    );
  }
  const features = [...new Set(names.map(normalize))];
  for (const slot of ['auth', 'rateLimit'] as const) {
    const picked = features.filter((f) => SLOT[f] === slot);
    if (picked.length > 1) throw new UsageError(`${picked.join(' and ')} are alternatives; add one of them`);
  }
  const next: Answers = { ...current };
  for (const feature of features) {
    if (feature === 'http') next.transport = current.transport === 'stdio' ? 'both' : current.transport;
    else if (feature === 'stdio') next.transport = current.transport === 'http' ? 'both' : current.transport;
    else if (feature === 'api-key' || feature === 'jwt' || feature === 'gateway') next.auth = feature;
    else if (feature === 'memory' || feature === 'redis') next.rateLimit = feature;
    else next[feature] = true;
  }
  if (next.transport === 'stdio') {
    const httpOnly = features.filter((f) => NEEDS_HTTP.includes(f));
    if (httpOnly.length > 0) {
      throw new UsageError(
        `${httpOnly.join(', ')} ${httpOnly.length > 1 ? 'need' : 'needs'} the HTTP transport, and this project is stdio only: ` +
          `add it as well, e.g. \`create-prod-mcp add http ${features.join(' ')}\``,
      );
    }
  }
  if (next.k8s && !next.docker) {
    throw new UsageError('k8s deploys the image the Dockerfile builds: `create-prod-mcp add docker k8s`');
  }
  const problems = combinationProblems(next);
  if (problems.length > 0) throw new UsageError(problems.join('\n'));
  return next;
}

/**
 * The answers after `update [--flags]`: the lock's answers with the given flags on top. Narrowing the
 * transport to stdio also turns off what only HTTP serves (auth, rate limits, metrics, systemd, k8s) unless a
 * flag sets it, the way create's defaults do; the caller reports what changed.
 */
export function answersAfterUpdate(current: Answers, flags: AnswerInput): Answers {
  const input: AnswerInput = { ...current, ...flags };
  if (flags.transport === 'stdio' && current.transport !== 'stdio') {
    const off = defaultsFor('stdio');
    input.auth = flags.auth ?? off.auth;
    input.rateLimit = flags.rateLimit ?? off.rateLimit;
    input.metrics = flags.metrics ?? off.metrics;
    input.systemd = flags.systemd ?? off.systemd;
    input.k8s = flags.k8s ?? off.k8s;
  }
  return resolveAnswers(input, current.name);
}

/** What changed, as flags, for the summary (`--auth jwt --rate-limit redis`). */
export function describeChange(before: Answers, after: Answers): string[] {
  const changes: string[] = [];
  for (const key of Object.keys(after) as (keyof Answers)[]) {
    const [was, now] = [before[key], after[key]];
    if (was === now) continue;
    const flag = key === 'rateLimit' ? '--rate-limit' : `--${key}`;
    changes.push(typeof now === 'boolean' ? (now ? flag : `--no-${key}`) : `${flag} ${now}`);
  }
  return changes;
}

import validateName from 'validate-npm-package-name';
import {
  type Answers,
  AUTH_MODES,
  DEFAULT_ANSWERS,
  PACKAGE_MANAGERS,
  type PackageManager,
  RATE_LIMITS,
  TRANSPORTS,
} from './answers.js';
import { UsageError } from './errors.js';
import { didYouMean } from './suggest.js';

/**
 * The one validator. Flags, prompts, the snapshot/e2e matrix and `update` (answers read back from the lock
 * file) all go through here, so a combination is either valid everywhere or rejected everywhere.
 *
 * Decisions (documented in README "Options"):
 * - auth, rate limits, Prometheus metrics, the systemd unit and Kubernetes manifests all protect or serve an
 *   HTTP listener. A stdio server is a child process of one client on one machine: there is no request to
 *   authenticate, no shared capacity to ration, nothing to scrape or probe. So with `--transport stdio` they
 *   default to off, and asking for one explicitly is an error that says how to fix it.
 * - Kubernetes manifests deploy the image the Dockerfile builds, so `--k8s` needs `--docker`.
 */

/** Raw answers as they come from flags or prompts: strings not yet checked against the allowed values. */
export interface AnswerInput {
  name?: string;
  transport?: string;
  auth?: string;
  rateLimit?: string;
  docker?: boolean;
  systemd?: boolean;
  k8s?: boolean;
  otel?: boolean;
  metrics?: boolean;
  packageManager?: string;
}

/** The command-line flag for each answer, so every message names what the user typed. */
export const ANSWER_FLAGS: Record<keyof Answers, string> = {
  name: '--name',
  transport: '--transport',
  auth: '--auth',
  rateLimit: '--rate-limit',
  docker: '--docker',
  systemd: '--systemd',
  k8s: '--k8s',
  otel: '--otel',
  metrics: '--metrics',
  packageManager: '--pm',
};

const CHOICES = {
  transport: TRANSPORTS,
  auth: AUTH_MODES,
  rateLimit: RATE_LIMITS,
  packageManager: PACKAGE_MANAGERS,
} as const;

/** Problems with a package name, or [] when npm would accept it for a new package. */
export function nameProblems(name: string): string[] {
  const result = validateName(name);
  if (result.validForNewPackages) return [];
  return [...(result.errors ?? []), ...(result.warnings ?? [])];
}

/** Turns a directory name into the closest valid npm name ("My Server" → "my-server"), for suggestions. */
export function suggestName(raw: string): string {
  const cleaned = raw
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9._~-]+/g, '-')
    .replace(/^[._-]+|-+$/g, '');
  return cleaned === '' ? 'my-mcp-server' : cleaned;
}

/** Defaults depend on the transport: a stdio-only server gets none of the HTTP-only features. */
export function defaultsFor(transport: Answers['transport']): Omit<Answers, 'name'> {
  if (transport !== 'stdio') return { ...DEFAULT_ANSWERS, transport };
  return {
    ...DEFAULT_ANSWERS,
    transport,
    auth: 'none',
    rateLimit: 'none',
    systemd: false,
    k8s: false,
    metrics: false,
  };
}

/** Every contradiction in a complete set of answers, each naming the flag and the fix. */
export function combinationProblems(a: Answers): string[] {
  const problems: string[] = [];
  if (a.transport === 'stdio') {
    const useHttp = 'use --transport http or --transport both';
    if (a.auth !== 'none') {
      problems.push(
        `--auth ${a.auth} needs the HTTP transport (a stdio server is spawned by its one client; there is no request to authenticate): ${useHttp}, or --auth none`,
      );
    }
    if (a.rateLimit !== 'none') {
      problems.push(
        `--rate-limit ${a.rateLimit} needs the HTTP transport (limits are per caller of a shared server): ${useHttp}, or --rate-limit none`,
      );
    }
    if (a.metrics) problems.push(`--metrics serves /metrics over HTTP: ${useHttp}, or --no-metrics`);
    if (a.systemd) problems.push(`--systemd runs a long-lived network service: ${useHttp}, or --no-systemd`);
    if (a.k8s) problems.push(`--k8s deploys an HTTP service with health probes: ${useHttp}, or --no-k8s`);
  }
  if (a.k8s && !a.docker) {
    problems.push('--k8s deploys the image the Dockerfile builds: add --docker, or drop --k8s');
  }
  return problems;
}

/**
 * Fills defaults and validates. Throws one UsageError listing every problem, so a user fixes them all at
 * once instead of one run per mistake.
 */
export function resolveAnswers(input: AnswerInput, defaultName: string): Answers {
  const problems: string[] = [];
  for (const key of ['transport', 'auth', 'rateLimit', 'packageManager'] as const) {
    const value = input[key];
    const allowed: readonly string[] = CHOICES[key];
    if (value !== undefined && !allowed.includes(value)) {
      problems.push(
        `${ANSWER_FLAGS[key]} "${value}" is not one of: ${allowed.join(', ')}.${didYouMean(value, allowed, (v) => `${ANSWER_FLAGS[key]} ${v}`)}`,
      );
    }
  }
  const name = input.name ?? defaultName;
  const bad = nameProblems(name);
  if (bad.length > 0) {
    const source = input.name === undefined ? `the directory name "${name}"` : `--name "${name}"`;
    problems.push(
      `${source} is not a valid npm package name (${bad.join('; ')}): pass --name ${suggestName(name)}`,
    );
  }
  if (problems.length > 0) throw new UsageError(problems.join('\n'));

  const transport = (input.transport ?? DEFAULT_ANSWERS.transport) as Answers['transport'];
  const defaults = defaultsFor(transport);
  const answers: Answers = {
    name,
    transport,
    auth: (input.auth ?? defaults.auth) as Answers['auth'],
    rateLimit: (input.rateLimit ?? defaults.rateLimit) as Answers['rateLimit'],
    docker: input.docker ?? defaults.docker,
    systemd: input.systemd ?? defaults.systemd,
    k8s: input.k8s ?? defaults.k8s,
    otel: input.otel ?? defaults.otel,
    metrics: input.metrics ?? defaults.metrics,
    // npm is recorded by leaving the field out: the lock files of npm projects stay as they always were.
    ...(input.packageManager === undefined || input.packageManager === 'npm'
      ? {}
      : { packageManager: input.packageManager as PackageManager }),
  };
  const contradictions = combinationProblems(answers);
  if (contradictions.length > 0) throw new UsageError(contradictions.join('\n'));
  return answers;
}

/** Validates answers read back from a file (the lock file): every field present, typed and consistent. */
export function parseAnswers(value: unknown, where: string): Answers {
  const fail = (why: string): never => {
    throw new UsageError(`${where}: ${why}`);
  };
  if (typeof value !== 'object' || value === null) return fail('"answers" is not an object');
  const v = value as Record<string, unknown>;
  const input: AnswerInput = {};
  for (const key of ['name', 'transport', 'auth', 'rateLimit'] as const) {
    if (typeof v[key] !== 'string') fail(`answers.${key} is missing or not a string`);
    input[key] = v[key] as string;
  }
  for (const key of ['docker', 'systemd', 'k8s', 'otel', 'metrics'] as const) {
    if (typeof v[key] !== 'boolean') fail(`answers.${key} is missing or not true/false`);
    input[key] = v[key] as boolean;
  }
  if (v.packageManager !== undefined) {
    if (typeof v.packageManager !== 'string') fail('answers.packageManager is not a string');
    input.packageManager = v.packageManager as string;
  }
  try {
    return resolveAnswers(input, '');
  } catch (error) {
    return fail((error as Error).message);
  }
}

export const isValidCombination = (a: Answers): boolean =>
  nameProblems(a.name).length === 0 && combinationProblems(a).length === 0;

/** Every valid combination of answers (the snapshot matrix and the e2e pairwise picker start here). */
export function* allValidAnswers(name = 'matrix-server'): Generator<Answers> {
  const bools = [false, true];
  for (const transport of TRANSPORTS)
    for (const auth of AUTH_MODES)
      for (const rateLimit of RATE_LIMITS)
        for (const docker of bools)
          for (const systemd of bools)
            for (const k8s of bools)
              for (const otel of bools)
                for (const metrics of bools) {
                  const answers: Answers = {
                    name,
                    transport,
                    auth,
                    rateLimit,
                    docker,
                    systemd,
                    k8s,
                    otel,
                    metrics,
                  };
                  if (isValidCombination(answers)) yield answers;
                }
}

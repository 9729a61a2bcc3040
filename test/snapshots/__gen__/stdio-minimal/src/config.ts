import { z } from 'zod';
import { milliseconds, oneOf, positiveInt, url } from './core/env.js';
import type { FeatureModule } from './core/feature.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** `search_v2=20000,report_v1=60000` → { search_v2: 20000, report_v1: 60000 }. */
const toolTimeouts = z
  .string()
  .transform((value, ctx) => {
    const timeouts: Record<string, number> = {};
    for (const entry of value.split(',').map((item) => item.trim())) {
      if (entry === '') continue;
      const match = /^([A-Za-z0-9_.-]+)=(\d+)$/.exec(entry);
      if (!match?.[1] || !match[2]) {
        ctx.addIssue({
          code: 'custom',
          message: `expected tool=milliseconds pairs such as search_v2=20000, got the entry "${entry}"`,
        });
        return z.NEVER;
      }
      timeouts[match[1]] = Number(match[2]);
    }
    return timeouts;
  })
  .default({})
  .describe('comma-separated tool=milliseconds pairs, e.g. search_v2=20000');

/** Seals multi-round requestState (HMAC-SHA256): 32 characters or more, e.g. `openssl rand -base64 32`. */
const stateSecret = z
  .string()
  .min(32)
  .optional()
  .describe('a random secret of at least 32 characters (openssl rand -base64 32)');

/** What every server reads, whatever its features. Features add their own variables (FeatureModule.env). */
export const baseEnv = z.object({
  MCP_TRANSPORT: z.enum(['http', 'stdio']).optional().describe('http or stdio'),
  LOG_LEVEL: oneOf(LOG_LEVELS)
    .default('info')
    .describe(`one of ${LOG_LEVELS.join(', ')}`),
  TOOL_TIMEOUT_MS: milliseconds(10_000),
  EXTERNAL_TOOL_TIMEOUT_MS: milliseconds(30_000),
  TOOL_TIMEOUTS: toolTimeouts,
  DRAIN_TIMEOUT_MS: milliseconds(10_000),
  /** A task's own deadline (tools that run as tasks are not held to TOOL_TIMEOUT_MS). */
  TASK_TIMEOUT_MS: milliseconds(900_000),
  /** How long a task and its result stay readable after its last change. */
  TASK_TTL_MS: milliseconds(3_600_000),
  /** A running task's lease: a task whose process stopped renewing it for this long is reported failed. */
  TASK_LEASE_MS: positiveInt(15_000, 'a duration in milliseconds (at least 1)'),
  SHUTDOWN_DELAY_MS: milliseconds(0),
  NPM_REGISTRY_URL: url().default('https://registry.npmjs.org'),
  MCP_STATE_SECRET: stateSecret,
  MCP_STATE_SECRET_PREVIOUS: stateSecret,
});

export type BaseConfig = z.output<typeof baseEnv>;

export interface LoadedConfig {
  base: BaseConfig;
  /** Each feature's parsed variables, keyed by feature id, handed to its `setup`. */
  features: ReadonlyMap<string, Record<string, unknown>>;
}

/** Every problem found in one pass, one line per variable, so one restart fixes them all. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * The configuration is valid but the machine refuses it (the port is taken, the address is not ours): one line
 * naming the variable and the fix, printed without a stack, exit 1, like a ConfigError.
 */
export class StartupError extends Error {
  override name = 'StartupError';
}

/** Values of these are never echoed back in an error message. */
const SECRET_NAME = /KEY|SECRET|TOKEN|PASSWORD|CREDENTIAL/i;

/** One line for one variable: what was expected and what was found. */
function describeIssue(name: string, issue: z.core.$ZodIssue, schema: z.ZodObject, source: Env): string {
  // Cross-variable rules (refinements) write their whole sentence themselves.
  if (issue.code === 'custom') return `${name}: ${issue.message}`;
  const expected = schema.shape[name]?.description ?? issue.message;
  const value = source[name];
  const got =
    value === undefined
      ? 'but it is not set'
      : SECRET_NAME.test(name)
        ? 'got a value that does not match (not shown: secret)'
        : `got ${JSON.stringify(value)}`;
  return `${name}: expected ${expected}, ${got}`;
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Validates the base variables and every feature's variables against one environment and reports every bad
 * variable at once. An empty value counts as unset (`PORT=` in a .env file means "use the default").
 */
export function loadConfig(environment: Env, modules: readonly FeatureModule[]): LoadedConfig {
  const source: Env = Object.fromEntries(Object.entries(environment).filter(([, value]) => value !== ''));
  const problems = new Map<string, string>();
  const parse = (schema: z.ZodObject): Record<string, unknown> | undefined => {
    const result = schema.safeParse(source);
    if (result.success) return result.data;
    for (const issue of result.error.issues) {
      const name = String(issue.path[0] ?? 'configuration');
      if (!problems.has(name)) problems.set(name, describeIssue(name, issue, schema, source));
    }
    return undefined;
  };

  const base = parse(baseEnv) as BaseConfig | undefined;
  const features = new Map(modules.map((module) => [module.id, parse(module.env) ?? {}]));
  if (problems.size > 0 || base === undefined) throw new ConfigError([...problems.values()]);
  return { base, features };
}

/**
 * The one typed object every part of the generator works from: the prompts fill it, the flags fill it,
 * the test matrix enumerates it, and `update` reads it back from prod-mcp.lock.json.
 * Validation lives in ./validate.ts so that every entry point rejects the same things the same way.
 */
export const TRANSPORTS = ['stdio', 'http', 'both'] as const;
export const AUTH_MODES = ['none', 'api-key', 'jwt', 'gateway'] as const;
export const RATE_LIMITS = ['none', 'memory', 'redis'] as const;
export const PACKAGE_MANAGERS = ['npm', 'pnpm', 'yarn', 'bun'] as const;

export type Transport = (typeof TRANSPORTS)[number];
export type AuthMode = (typeof AUTH_MODES)[number];
export type RateLimit = (typeof RATE_LIMITS)[number];
export type PackageManager = (typeof PACKAGE_MANAGERS)[number];

/** What shapes the generated files. Everything here is recorded in the lock file. */
export interface Answers {
  /** npm package name of the generated project (also the server's MCP name). */
  name: string;
  transport: Transport;
  auth: AuthMode;
  rateLimit: RateLimit;
  docker: boolean;
  systemd: boolean;
  k8s: boolean;
  otel: boolean;
  metrics: boolean;
  /**
   * The package manager the project's commands, lockfile and approvals are written for (README, next steps,
   * `pnpm-workspace.yaml`, `.yarnrc.yml`). Absent means npm, so locks written before it existed still read.
   */
  packageManager?: PackageManager;
}

/** The package manager of a project's answers (absent: npm). */
export const pmOf = (a: Pick<Answers, 'packageManager'>): PackageManager => a.packageManager ?? 'npm';

export const DEFAULT_ANSWERS: Omit<Answers, 'name'> = {
  transport: 'both',
  auth: 'api-key',
  rateLimit: 'memory',
  docker: true,
  systemd: false,
  k8s: false,
  otel: false,
  metrics: false,
};

export const hasHttp = (a: Pick<Answers, 'transport'>): boolean => a.transport !== 'stdio';
export const hasStdio = (a: Pick<Answers, 'transport'>): boolean => a.transport !== 'http';

/**
 * What each client is asked to do, in order, and how to read what it handed its caller. The order matters:
 * with RATE_LIMIT_PER_MINUTE=2 the third convert_temperature_v2 call is refused (a refused call spends no
 * budget), and with CALL_BUDGET=5 the call after five admitted calls is over budget. FORBIDDEN is refused by
 * the scope check before the limits, so it spends nothing either.
 */
export interface Step {
  id: string;
  list?: true;
  tool?: string;
  arguments?: Record<string, unknown>;
}

// 3 s for the npm tool: long enough that NOT_FOUND's 404 is never late on a loaded machine, short enough for TIMEOUT.
export const LIMITS = { RATE_LIMIT_PER_MINUTE: '2', CALL_BUDGET: '5', EXTERNAL_TOOL_TIMEOUT_MS: '3000' };

export const ERROR_CODES = [
  'INVALID_ARGUMENT',
  'RATE_LIMITED',
  'NOT_FOUND',
  'TIMEOUT',
  'INTERNAL',
  'FORBIDDEN',
  'BUDGET_EXHAUSTED',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

const celsius = (to: string) => ({ value: 100, from: 'celsius', to });

const ALL: Record<string, Step> = {
  list: { id: 'list', list: true },
  ok: { id: 'ok', tool: 'convert_temperature_v2', arguments: celsius('fahrenheit') },
  // The repro: a unit the schema does not know.
  INVALID_ARGUMENT: { id: 'INVALID_ARGUMENT', tool: 'convert_temperature_v2', arguments: celsius('rankine') },
  RATE_LIMITED: { id: 'RATE_LIMITED', tool: 'convert_temperature_v2', arguments: celsius('kelvin') },
  NOT_FOUND: { id: 'NOT_FOUND', tool: 'npm_package_v1', arguments: { name: 'no-such-package' } },
  TIMEOUT: { id: 'TIMEOUT', tool: 'npm_package_v1', arguments: { name: 'hangs' } },
  INTERNAL: { id: 'INTERNAL', tool: 'broken_v1', arguments: {} },
  FORBIDDEN: { id: 'FORBIDDEN', tool: 'report_v1', arguments: {} },
  BUDGET_EXHAUSTED: { id: 'BUDGET_EXHAUSTED', tool: 'whoami_v1', arguments: {} },
  unknown: { id: 'unknown', tool: 'convert_temperature', arguments: {} },
  // For a client that starts a fresh stdio server per command (the Inspector CLI), where per-process limits
  // never trip: the npm registry's own 429 is a RATE_LIMITED with retryAfter all the same.
  'RATE_LIMITED upstream': { id: 'RATE_LIMITED', tool: 'npm_package_v1', arguments: { name: 'throttled' } },
};

/**
 * The steps for one client over one transport. Over stdio there is no auth (the launching process is
 * trusted), so no FORBIDDEN.
 */
export function stepsFor(options: { stdio: boolean; freshServerPerCall?: boolean }): Step[] {
  const ids = ['list', 'ok', 'INVALID_ARGUMENT', 'RATE_LIMITED', 'NOT_FOUND', 'TIMEOUT', 'INTERNAL'];
  if (!options.stdio) ids.push('FORBIDDEN');
  ids.push('BUDGET_EXHAUSTED', 'unknown');
  return ids.flatMap((id): Step[] => {
    if (!options.freshServerPerCall) return [ALL[id] as Step];
    if (id === 'RATE_LIMITED') return [ALL['RATE_LIMITED upstream'] as Step];
    return id === 'BUDGET_EXHAUSTED' ? [] : [ALL[id] as Step];
  });
}

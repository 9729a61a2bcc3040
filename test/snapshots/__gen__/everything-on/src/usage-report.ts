/**
 * Usage and cost from the server's JSON logs: the pipeline writes one line per tool call ("tool call"),
 * resource read ("resource read") and prompt get ("prompt get") with its principal, item, runId, outcome,
 * durationMs and cost. `npm run usage` (src/usage.ts) prints this report; the `tool` column names the item.
 */
export const GROUP_KEYS = ['principal', 'tool', 'run'] as const;
export type GroupKey = (typeof GROUP_KEYS)[number];

export interface UsageRow extends Partial<Record<GroupKey, string>> {
  calls: number;
  errors: number;
  cost: number;
  p50Ms: number;
  p95Ms: number;
}

interface CallLine extends Record<GroupKey, string> {
  failed: boolean;
  durationMs: number;
  cost: number;
}

/** The line's item by what it is bound to; lists and completions are not usage. */
const ITEM_FIELD: Readonly<Record<string, string>> = {
  'tool call': 'tool',
  'resource read': 'resource',
  'prompt get': 'prompt',
};

/** A call, read or get line, or undefined for anything else (startup messages, npm's banner, a truncated line). */
export function parseCallLine(text: string): CallLine | undefined {
  let line: Record<string, unknown>;
  try {
    line = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (line === null || typeof line !== 'object') return undefined;
  const field = ITEM_FIELD[String(line.msg)];
  const item = field === undefined ? undefined : line[field];
  if (typeof item !== 'string') return undefined;
  return {
    principal: typeof line.principal === 'string' ? line.principal : '-',
    tool: item,
    run: typeof line.runId === 'string' ? line.runId : '-',
    failed: line.outcome !== 'ok',
    durationMs: Number(line.durationMs) || 0,
    cost: Number(line.cost) || 0,
  };
}

/** `principal,tool` → ['principal', 'tool'], naming the accepted keys when one is wrong. */
export function parseGroupKeys(value: string): GroupKey[] {
  const keys = value.split(',').map((key) => key.trim());
  const unknown = keys.filter((key) => !(GROUP_KEYS as readonly string[]).includes(key));
  if (unknown.length > 0) {
    throw new Error(`--by ${value}: expected a comma-separated list of ${GROUP_KEYS.join(', ')}`);
  }
  return keys as GroupKey[];
}

/**
 * Control characters (terminal escapes, newlines that would forge a row) and bidirectional overrides (which
 * reorder what a reader sees) written as `\x1b` / `\u202e`: principals, tools and run ids come from callers.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
export const printable = (text: string): string =>
  text.replace(UNPRINTABLE, (char) => {
    const code = char.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`;
  });

const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

/** Adds up tool-call lines per group, most expensive first. */
export class UsageReport {
  readonly #by: readonly GroupKey[];
  readonly #groups = new Map<string, { keys: Record<string, string>; calls: CallLine[] }>();
  /** Non-empty lines that were not tool-call lines. */
  skipped = 0;

  constructor(by: readonly GroupKey[]) {
    this.#by = by;
  }

  add(text: string): void {
    const call = parseCallLine(text);
    if (call === undefined) {
      if (text.trim() !== '') this.skipped++;
      return;
    }
    const keys = Object.fromEntries(this.#by.map((key) => [key, call[key]]));
    const id = JSON.stringify(Object.values(keys));
    const group = this.#groups.get(id) ?? { keys, calls: [] };
    group.calls.push(call);
    this.#groups.set(id, group);
  }

  rows(): UsageRow[] {
    return [...this.#groups.values()]
      .map(({ keys, calls }) => {
        const durations = calls.map((call) => call.durationMs).sort((a, b) => a - b);
        return {
          ...keys,
          calls: calls.length,
          errors: calls.filter((call) => call.failed).length,
          cost: calls.reduce((sum, call) => sum + call.cost, 0),
          p50Ms: percentile(durations, 50),
          p95Ms: percentile(durations, 95),
        };
      })
      .sort((a, b) => b.cost - a.cost || b.calls - a.calls);
  }

  /** An aligned text table with a total line. */
  table(): string {
    const rows = this.rows();
    const header: (keyof UsageRow)[] = [...this.#by, 'calls', 'errors', 'cost', 'p50Ms', 'p95Ms'];
    const cells = [
      header.map(String),
      ...rows.map((row) => header.map((key) => printable(String(row[key] ?? '-')))),
    ];
    const widths = header.map((_, i) => Math.max(...cells.map((line) => line[i]?.length ?? 0)));
    const lines = cells.map((line) =>
      line
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    );
    const calls = rows.reduce((sum, row) => sum + row.calls, 0);
    const cost = rows.reduce((sum, row) => sum + row.cost, 0);
    return `${lines.join('\n')}\n\n${calls} calls, total cost ${cost}\n`;
  }
}

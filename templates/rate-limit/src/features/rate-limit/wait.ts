/** A wait in words an agent (or a person reading logs) can act on: `850 ms`, `12.4 s`, `3541 s`. */
export function describeWait(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.ceil(ms))} ms`;
  if (ms < 60_000) return `${(Math.ceil(ms / 100) / 10).toFixed(1)} s`;
  return `${Math.ceil(ms / 1000)} s`;
}

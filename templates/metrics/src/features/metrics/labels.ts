/**
 * Every distinct label value is a separate time series in Prometheus, kept for weeks. Values that come from
 * outside (principal IDs, route names, dependency names) therefore pass through a budget: the first `limit`
 * distinct values are kept, every later one is counted as `other`.
 */
export class BoundedLabel {
  private readonly seen = new Set<string>();

  constructor(
    private readonly limit: number,
    known: Iterable<string> = [],
  ) {
    for (const value of known) this.seen.add(value);
  }

  value(raw: string): string {
    if (this.seen.has(raw)) return raw;
    if (this.seen.size >= this.limit) return 'other';
    this.seen.add(raw);
    return raw;
  }
}

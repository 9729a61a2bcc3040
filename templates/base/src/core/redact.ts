/**
 * Tool arguments in a log line: enough to answer "what did the agent ask for", never a secret, never a
 * megabyte. Keys that name secrets are masked whatever their value; long strings, big arrays and deep
 * nesting are cut with a note saying how much was left out.
 */
const SECRET_KEY =
  /pass(word)?|secret|token|api[-_]?key|authorization|cookie|credential|private[-_]?key|session/i;
const MAX_STRING = 200;
const MAX_ITEMS = 20;
const MAX_DEPTH = 4;

export function redactArgs(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') {
    return value.length > MAX_STRING
      ? `${value.slice(0, MAX_STRING)}…(+${value.length - MAX_STRING} chars)`
      : value;
  }
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return Array.isArray(value) ? `[array(${value.length})]` : '[object]';
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ITEMS).map((item) => redactArgs(item, depth + 1));
    if (value.length > MAX_ITEMS) items.push(`…(+${value.length - MAX_ITEMS} items)`);
    return items;
  }
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) ? '[REDACTED]' : redactArgs(item, depth + 1);
  }
  return out;
}

export interface ContentBlockLike {
  type: string;
  text?: string;
  data?: string;
}

/** What came back, without the data: the content block types and their sizes in characters. */
export function resultShape(content: readonly ContentBlockLike[]): Array<{ type: string; size: number }> {
  return content.map((block) => ({ type: block.type, size: (block.text ?? block.data ?? '').length }));
}

/**
 * Tool arguments in a log line: enough to answer "what did the agent ask for", never a secret, never a
 * megabyte. Keys that name secrets are masked whatever their value; `Bearer …` values are masked wherever
 * they appear; long strings, big arrays and deep nesting are cut with a note saying how much was left out.
 *
 * A key names a secret when one of its words does: `apiKey`, `x-api-key`, `db_password`, `pinCode`,
 * `sentryDsn`. Words, not substrings, so `keyword`, `monkey`, `shipping` or `author` stay readable.
 */
const SECRET_WORDS = new Set([
  'auth',
  'authorization',
  'bearer',
  'cookie',
  'cookies',
  'credential',
  'credentials',
  'dsn',
  'jwt',
  'key',
  'keys',
  'apikey',
  'otp',
  'pass',
  'passcode',
  'passphrase',
  'passwd',
  'password',
  'passwords',
  'pin',
  'pwd',
  'secret',
  'secrets',
  'session',
  'sig',
  'signature',
  'token',
  'tokens',
]);
const BEARER_VALUE = /\b(bearer)\s+[\w.~+/-]+=*/gi;
const MAX_STRING = 200;
const MAX_ITEMS = 20;
const MAX_DEPTH = 4;

/** `apiKey`, `API_KEY`, `x-api-key`, `db.password` → their lower-case words, plus the whole key run together. */
function keyWords(key: string): string[] {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '');
  return [...words, words.join('')];
}

/**
 * Verdicts by key name. A tool's argument names repeat on every call, and splitting each into words with three
 * regular expressions was a measurable share of the per-call log line (issue 15). Names come from callers, so
 * the cache is bounded in entries and in name length: past either bound a name is simply judged afresh.
 */
const verdicts = new Map<string, boolean>();
const MAX_CACHED_NAMES = 1000;
const MAX_CACHED_NAME_LENGTH = 64;

export function isSecretKey(key: string): boolean {
  const cached = verdicts.get(key);
  if (cached !== undefined) return cached;
  const secret = keyWords(key).some((word) => SECRET_WORDS.has(word));
  if (verdicts.size < MAX_CACHED_NAMES && key.length <= MAX_CACHED_NAME_LENGTH) verdicts.set(key, secret);
  return secret;
}

export function redactArgs(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') {
    const masked = value.replace(BEARER_VALUE, '$1 [REDACTED]');
    return masked.length > MAX_STRING
      ? `${masked.slice(0, MAX_STRING)}…(+${masked.length - MAX_STRING} chars)`
      : masked;
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
    out[key] = isSecretKey(key) ? '[REDACTED]' : redactArgs(item, depth + 1);
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

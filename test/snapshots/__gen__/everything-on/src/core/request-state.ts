import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Why a `requestState` was refused: for the log and the security event, never for the client. */
export type StateRefusal = 'malformed' | 'mac' | 'expired' | 'binding';

export type Opened<T> = { ok: true; data: T } | { ok: false; reason: StateRefusal };

/** What a state is bound to: replayed by another caller, for another item or other arguments, it is refused. */
export interface StateBinding {
  principal: string;
  operation: string;
  args: unknown;
}

export interface RequestStateOptions {
  /** The key every replica shares (MCP_STATE_SECRET), ≥ 32 characters. */
  secret: string;
  /** The key before the last rotation (MCP_STATE_SECRET_PREVIOUS): states it sealed are still accepted. */
  previous?: string;
  /** How long a state stays valid: a person answering a form needs minutes, not hours. */
  ttlMs?: number;
  now?: () => number;
}

const VERSION = 'v1';
const TEN_MINUTES = 600_000;

/** JSON with sorted keys, so `{a, b}` and `{b, a}` are the same arguments. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The binding as a hash: the wire value never shows the principal or the arguments. */
const bindingOf = (b: StateBinding) =>
  createHash('sha256')
    .update(`${b.principal}\0${b.operation}\0${canonical(b.args)}`)
    .digest('base64url');

const mac = (key: string, body: string) =>
  createHmac('sha256', key).update(`prod-mcp.requestState\0${body}`).digest();

/**
 * Seals the state a multi-round call hands the client (SEP-2322) and opens it when the client sends it back.
 * The client holds it, so it is attacker-controlled input: HMAC-SHA256 over the body, which carries an expiry
 * and a hash of (principal, operation, arguments). Signed, not encrypted: put no secrets in it.
 * Wire: `v1.<base64url(body)>.<base64url(mac)>`.
 */
export class RequestStateSealer {
  readonly #keys: readonly string[];
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor(options: RequestStateOptions) {
    this.#keys = options.previous ? [options.secret, options.previous] : [options.secret];
    this.#ttlMs = options.ttlMs ?? TEN_MINUTES;
    this.#now = options.now ?? Date.now;
  }

  /** A per-process key: enough when one process serves every round (stdio, or a single replica). */
  static ephemeral(): RequestStateSealer {
    return new RequestStateSealer({ secret: randomBytes(32).toString('base64url') });
  }

  seal(data: unknown, binding: StateBinding): string {
    const body = Buffer.from(
      JSON.stringify({ d: data, exp: this.#now() + this.#ttlMs, b: bindingOf(binding) }),
    ).toString('base64url');
    return `${VERSION}.${body}.${mac(this.#keys[0] as string, body).toString('base64url')}`;
  }

  open<T = unknown>(state: string, binding: StateBinding): Opened<T> {
    const [version, body, tag, ...rest] = state.split('.');
    if (version !== VERSION || !body || !tag || rest.length > 0) return { ok: false, reason: 'malformed' };
    const given = Buffer.from(tag, 'base64url');
    // Constant-time against every key still accepted: the current one, then the one it replaced.
    const valid = this.#keys.some((key) => {
      const expected = mac(key, body);
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
    if (!valid) return { ok: false, reason: 'mac' };
    let parsed: { d?: unknown; exp?: unknown; b?: unknown };
    try {
      parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    } catch {
      return { ok: false, reason: 'malformed' };
    }
    if (typeof parsed.exp !== 'number' || this.#now() > parsed.exp) return { ok: false, reason: 'expired' };
    if (parsed.b !== bindingOf(binding)) return { ok: false, reason: 'binding' };
    return { ok: true, data: parsed.d as T };
  }
}

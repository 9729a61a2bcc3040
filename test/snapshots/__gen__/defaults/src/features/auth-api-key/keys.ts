import { hash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** One configured key. Only its SHA-256 digest is ever held: a leaked config or heap dump leaks no key. */
export interface ApiKey {
  /** Names the principal: it appears in logs, metrics and rate-limit buckets, never the key itself. */
  name: string;
  digest: Buffer;
  scopes: readonly string[];
}

const NAME = '[A-Za-z0-9][A-Za-z0-9._@-]{0,63}';
export const KEY_NAME = new RegExp(`^${NAME}$`);
/** `name:sha256hex` or `name:sha256hex:scope scope…`. The digest has a fixed length, so scopes may contain `:`. */
const ENTRY = new RegExp(`^(${NAME}):([0-9a-fA-F]{64})(?::(.*))?$`);

// One-shot: no Hash object built per request (createHash().update().digest() costs about a third more).
export const sha256 = (text: string): Buffer => hash('sha256', text, 'buffer');

/**
 * Parses key entries: comma- or newline-separated, blank lines and `#` comments ignored.
 * Error messages name an entry by position and name only: a raw key pasted by mistake must not reach a log.
 */
export function parseKeys(text: string): ApiKey[] {
  const entries = text
    .split(/[,\n]/)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '' && !entry.startsWith('#'));
  if (entries.length === 0)
    throw new Error('no keys configured; create one with `npm run keys:new -- <name>`');
  const keys: ApiKey[] = [];
  for (const [index, entry] of entries.entries()) {
    const match = ENTRY.exec(entry);
    const [, name, hex, scopes] = match ?? [];
    if (name === undefined || hex === undefined) {
      throw new Error(
        `entry ${index + 1} is not "name:sha256hex[:scopes]" (entries hold the key's hash, never the key); ` +
          'create one with `npm run keys:new -- <name>`',
      );
    }
    if (keys.some((key) => key.name === name))
      throw new Error(`entry ${index + 1}: the name "${name}" is used twice`);
    const digest = Buffer.from(hex, 'hex');
    if (keys.some((key) => key.digest.equals(digest))) {
      throw new Error(`entry ${index + 1} ("${name}"): the same key is configured twice`);
    }
    keys.push({ name, digest, scopes: scopes?.split(/\s+/).filter(Boolean) ?? [] });
  }
  return keys;
}

/** API_KEYS holds the entries themselves, or the path of a file with one entry per line (a mounted secret). */
export function loadKeys(value: string): ApiKey[] {
  const isPath = value.startsWith('/') || value.startsWith('./') || value.startsWith('../');
  if (!isPath) return parseKeys(value);
  let text: string;
  try {
    text = readFileSync(value, 'utf8');
  } catch (error) {
    throw new Error(`cannot read the keys file ${value}: ${(error as Error).message}`);
  }
  try {
    return parseKeys(text);
  } catch (error) {
    throw new Error(`${value}: ${(error as Error).message}`);
  }
}

/**
 * The key whose digest matches. Digests have a fixed length, so timingSafeEqual never throws and the time
 * taken says nothing about the presented key; every key is compared, so it says nothing about which matched.
 */
export function findKey(keys: readonly ApiKey[], presented: string): ApiKey | undefined {
  const digest = sha256(presented);
  let found: ApiKey | undefined;
  for (const key of keys) {
    if (timingSafeEqual(digest, key.digest) && found === undefined) found = key;
  }
  return found;
}

import {
  applyEdits,
  type FormattingOptions,
  type JSONPath,
  modify,
  type ParseError,
  parse,
} from 'jsonc-parser';

/**
 * Key-level three-way merge of a JSON file (package.json, tsconfig.json), applied as text edits to the user's
 * file so their key order, formatting and comments stay. For every key the generator wrote last time (base)
 * or writes now (theirs):
 * - unchanged by the generator → the user's value stays, whatever it is (including "deleted");
 * - changed by the generator, untouched by the user → the new value (or the key goes, when no longer needed);
 * - changed by both → the user's value stays and a note says what the generator wanted.
 * Keys only the user has are never looked at. Objects merge key by key; arrays and scalars are single values.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export interface StructuredMerge {
  text: string;
  /** Decisions the user should know about (a value of theirs kept over ours). */
  notes: string[];
}

type Op = { path: JSONPath; value: Json | undefined; order: string[] };

const isObject = (v: Json | undefined): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export function jsonEqual(a: Json | undefined, b: Json | undefined): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((v, i) => jsonEqual(v, b[i]));
  if (!isObject(a) || !isObject(b)) return false;
  const keys = Object.keys(a);
  return (
    keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k], b[k]))
  );
}

const show = (path: JSONPath): string => path.join('.');
const brief = (v: Json | undefined): string => {
  const text = JSON.stringify(v) ?? 'nothing';
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
};

/** Parses JSON with comments and trailing commas (tsconfig allows both); undefined when it does not parse. */
export function parseJsonc(text: string): Json | undefined {
  const errors: ParseError[] = [];
  const value = parse(text, errors, { allowTrailingComma: true, disallowComments: false }) as Json;
  return errors.length === 0 ? value : undefined;
}

function diffObject(
  path: JSONPath,
  base: JsonObject,
  ours: JsonObject,
  theirs: JsonObject,
  ops: Op[],
  notes: string[],
): void {
  const order = Object.keys(theirs);
  const keys = [...order, ...Object.keys(base).filter((k) => !Object.hasOwn(theirs, k))];
  for (const key of keys) {
    const [b, o, t] = [base[key], ours[key], theirs[key]];
    const here = [...path, key];
    if (jsonEqual(b, t)) continue;
    if (isObject(o) && (isObject(t) || t === undefined) && (isObject(b) || b === undefined)) {
      const childOps: Op[] = [];
      diffObject(here, b ?? {}, o, t ?? {}, childOps, notes);
      // A whole object the generator no longer writes goes with its last key, unless the user added keys to it.
      const removed = (k: string) =>
        childOps.some(
          (op) => op.value === undefined && op.path.length === here.length + 1 && op.path.at(-1) === k,
        );
      const removesAll = t === undefined && Object.keys(o).every(removed);
      if (removesAll) ops.push({ path: here, value: undefined, order });
      else ops.push(...childOps);
      continue;
    }
    if (jsonEqual(o, b)) ops.push({ path: here, value: t, order });
    else if (jsonEqual(o, t)) continue;
    else if (o === undefined) notes.push(`not re-added "${show(here)}": you removed it`);
    else if (t === undefined)
      notes.push(`kept "${show(here)}": you changed it, and it is no longer generated`);
    else notes.push(`kept your "${show(here)}" = ${brief(o)} (create-prod-mcp now writes ${brief(t)})`);
  }
}

/** Indentation and line ending as the user's file has them, so inserted keys look like their neighbours. */
function formattingOf(text: string): FormattingOptions {
  const indent = /^([ \t]+)\S/m.exec(text)?.[1] ?? '  ';
  const tabs = indent.startsWith('\t');
  return {
    insertSpaces: !tabs,
    tabSize: tabs ? 1 : indent.length,
    eol: text.includes('\r\n') ? '\r\n' : '\n',
  };
}

/** The package.json fields npm keeps sorted (`npm install x` re-sorts them with localeCompare). */
const DEPENDENCY_FIELDS = new Set([
  'dependencies',
  'devDependencies',
  'optionalDependencies',
  'peerDependencies',
]);

const byName = (a: string, b: string): number => a.localeCompare(b, 'en');

const isSorted = (keys: readonly string[]): boolean =>
  keys.every((key, i) => i === 0 || byName(keys[i - 1] ?? '', key) <= 0);

/**
 * New keys go where the generator puts them: after the nearest key that precedes them in the new render and
 * exists in the user's object (scripts keep their grouping); else at the end. In a dependency list the user
 * keeps sorted (as npm does), a new key goes where it sorts, whatever the user added around it.
 */
function insertionIndex(path: JSONPath, order: readonly string[]): (existing: string[]) => number {
  const key = String(path.at(-1));
  const sortedField = path.length === 2 && DEPENDENCY_FIELDS.has(String(path[0]));
  return (existing) => {
    if (sortedField && isSorted(existing)) {
      const at = existing.findIndex((name) => byName(key, name) < 0);
      return at === -1 ? existing.length : at;
    }
    const at = order.indexOf(key);
    for (let i = at - 1; i >= 0; i--) {
      const found = existing.indexOf(order[i] ?? '');
      if (found !== -1) return found + 1;
    }
    for (let i = at + 1; i < order.length; i++) {
      const found = existing.indexOf(order[i] ?? '');
      if (found !== -1) return found;
    }
    return existing.length;
  };
}

/** Undefined when a side does not parse as a JSON object (the caller falls back to a line merge). */
export function mergeJson(ours: string, base: string, theirs: string): StructuredMerge | undefined {
  const [o, b, t] = [parseJsonc(ours), parseJsonc(base), parseJsonc(theirs)];
  if (!isObject(o) || !isObject(b) || !isObject(t)) return undefined;
  const ops: Op[] = [];
  const notes: string[] = [];
  diffObject([], b, o, t, ops, notes);
  const formattingOptions = formattingOf(ours);
  let text = ours;
  for (const op of ops) {
    const edits = modify(text, op.path, op.value, {
      formattingOptions,
      getInsertionIndex: insertionIndex(op.path, op.order),
    });
    text = applyEdits(text, edits);
  }
  return { text, notes };
}

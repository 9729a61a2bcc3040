import { dirname, posix } from 'node:path';
import { parseEnvBlocks } from './env-merge.js';
import { parseJsonc } from './json-merge.js';
import type { Plan } from './plan.js';

/**
 * What a plan would break by deleting files: a file that stays (kept because the user edited it, or the user's
 * own) but still imports a file being deleted, or a structured value (a package.json script, a tsconfig path)
 * that still names a deleted file or a dependency being removed. Either leaves a project that does not compile
 * or start (issue 11: `add jwt` after editing auth-api-key/index.ts deleted the files it imports and exited 0;
 * `update --no-otel` kept a start script preloading the deleted OTel register). Both become conflicts: the run
 * exits 1 and says what refers to what. An imported file is then kept (not deleted) and stays tracked, so the
 * project still compiles while the user decides; a structured value is left as the user wrote it.
 */

export interface ReferenceInput {
  plan: Plan;
  /** Every code and structured file on disk now (path → text), the user's own included. */
  project: ReadonlyMap<string, string>;
  /** What the run is, for the message ("add jwt", "update"). */
  action: string;
}

const CODE = /\.(?:[cm]?[jt]s|[jt]sx)$/;

/** Relative module specifiers of a JS/TS file: import/export … from, import(), require(), bare import. */
function relativeImports(text: string): string[] {
  const found: string[] = [];
  const pattern = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)['"](\.{1,2}\/[^'"\n]+)['"]/g;
  for (const match of text.matchAll(pattern)) if (match[1]) found.push(match[1]);
  return found;
}

/** The files a specifier may mean, TypeScript's way: `./x.js` is `./x.ts` in the sources. */
function candidates(importer: string, specifier: string): string[] {
  const path = posix.normalize(posix.join(dirname(importer), specifier));
  const stem = path.replace(/\.(?:[cm]?js|jsx)$/, '');
  return [
    path,
    `${stem}.ts`,
    `${stem}.tsx`,
    `${stem}.mts`,
    `${stem}.cts`,
    `${stem}.js`,
    `${path}.ts`,
    `${path}/index.ts`,
    `${path}/index.js`,
  ];
}

/** Whether `token` occurs in `value` as a whole path or name (not as part of a longer word). */
function mentions(value: string, token: string): boolean {
  for (let at = value.indexOf(token); at !== -1; at = value.indexOf(token, at + 1)) {
    const before = value[at - 1] ?? ' ';
    const after = value[at + token.length] ?? ' ';
    if (!/[\w@-]/.test(before) && !/[\w-]/.test(after)) return true;
  }
  return false;
}

/**
 * How a deleted file is named elsewhere: `src/features/otel/register.ts` is `features/otel/register` (found in
 * `./dist/features/otel/register.js` as well); a root file by its name (`Dockerfile`, `compose.yaml`).
 */
function tokenOf(path: string): string {
  if (!path.includes('/')) return path;
  return path.replace(/^src\//, '').replace(/\.[^./]+$/, '');
}

/** Every string value of a JSON document with its dotted path, or of a .env file by variable name. */
function stringValues(path: string, text: string): Array<[string, string]> {
  const name = path.split('/').at(-1) ?? path;
  if (name.startsWith('.env')) {
    return parseEnvBlocks(text).flatMap((block) =>
      block.key !== undefined
        ? [
            [block.key, (block.text.trimEnd().split('\n').at(-1) ?? '').split('=').slice(1).join('=')] as [
              string,
              string,
            ],
          ]
        : [],
    );
  }
  const out: Array<[string, string]> = [];
  const walk = (value: unknown, at: string[]) => {
    if (typeof value === 'string') out.push([at.join('.'), value]);
    else if (Array.isArray(value)) for (const [i, item] of value.entries()) walk(item, [...at, String(i)]);
    else if (typeof value === 'object' && value !== null)
      for (const [key, item] of Object.entries(value)) walk(item, [...at, key]);
  };
  walk(parseJsonc(text), []);
  return out;
}

/** package.json fields that are prose, not something a tool resolves. */
const PROSE_FIELDS = new Set(['name', 'description', 'keywords', 'author', 'license', 'homepage']);

const DEPENDENCY_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'];

function dependencyNames(text: string | undefined): Set<string> {
  const pkg = parseJsonc(text ?? '{}') as Record<string, unknown> | undefined;
  const names = new Set<string>();
  for (const field of DEPENDENCY_FIELDS) {
    const deps = pkg?.[field];
    if (typeof deps === 'object' && deps !== null) for (const name of Object.keys(deps)) names.add(name);
  }
  return names;
}

/** Turns the change of `path` (or a new, file-leaving one) into a conflict with this reason. */
function conflict(plan: Plan, path: string, before: string, reason: string): void {
  const change = plan.changes.find((c) => c.path === path);
  plan.notes = plan.notes.filter((note) => note.path !== path);
  if (change === undefined) {
    plan.changes.push({ kind: 'conflict', path, class: 'merged', before, reason });
    return;
  }
  change.reason = change.kind === 'conflict' && change.reason ? `${change.reason}; ${reason}` : reason;
  change.kind = 'conflict';
}

/** Cancels deletes that kept files still import, and marks what still refers to deleted things as conflicts. */
export function checkReferences({ plan, project, action }: ReferenceInput): void {
  const deleting = new Map(plan.changes.filter((c) => c.kind === 'delete').map((c) => [c.path, c]));
  // The files as they will be: on disk now, minus deletes, with this run's writes.
  const after = new Map(project);
  for (const change of plan.changes) {
    if (change.kind === 'delete') after.delete(change.path);
    else if (change.after !== undefined) after.set(change.path, change.after);
  }

  // Imports, to a fixed point: a file kept because something imports it may import other deleted files.
  const broken = new Map<string, Set<string>>();
  const kept = new Map<string, string>();
  for (let changed = true; changed; ) {
    changed = false;
    for (const [importer, text] of [...after]) {
      if (!CODE.test(importer)) continue;
      for (const specifier of relativeImports(text)) {
        const target = candidates(importer, specifier).find((path) => deleting.has(path));
        if (target === undefined) continue;
        const doomed = deleting.get(target);
        deleting.delete(target);
        plan.changes = plan.changes.filter((c) => c !== doomed);
        plan.orphans.push(target);
        after.set(target, doomed?.before ?? '');
        kept.set(target, importer);
        broken.set(importer, (broken.get(importer) ?? new Set()).add(target));
        changed = true;
      }
    }
  }
  for (const [importer, targets] of broken) {
    // A file kept only because a kept file imports it is not where the user acts: the first importer is.
    if (kept.has(importer)) continue;
    conflict(
      plan,
      importer,
      after.get(importer) ?? '',
      `imports ${[...targets].join(', ')}, which \`${action}\` would delete; kept both so the project still compiles: rewrite it for the new features (or delete it and what it imports)`,
    );
  }
  for (const [path, importer] of kept)
    plan.notes.push({ path, message: `kept, not deleted: ${importer} imports it` });

  // Structured values naming a deleted file or a removed dependency.
  const pkg = plan.changes.find((c) => c.path === 'package.json' && c.after !== undefined);
  const removedPackages = pkg
    ? [...dependencyNames(pkg.before)].filter((name) => !dependencyNames(pkg.after).has(name))
    : [];
  const removed: Array<[string, string, boolean]> = [
    ...[...deleting.keys()].map((path): [string, string, boolean] => [tokenOf(path), path, false]),
    ...removedPackages.map((name): [string, string, boolean] => [name, `the ${name} dependency`, true]),
  ];
  if (removed.length === 0) return;
  for (const [path, text] of after) {
    if (!['package.json', 'tsconfig.json', '.env.example'].includes(path)) continue;
    const problems: string[] = [];
    for (const [key, value] of stringValues(path, text)) {
      const field = key.split('.')[0] ?? '';
      if (PROSE_FIELDS.has(field) || (DEPENDENCY_FIELDS.includes(field) && !value.includes('/'))) continue;
      for (const [token, what, isPackage] of removed) {
        // A package is named by module specifiers (scripts, tsconfig paths); an .env value like redis:// is not one.
        if (isPackage && path === '.env.example') continue;
        if (mentions(value, token)) problems.push(`"${key}" still refers to ${what}`);
      }
    }
    if (problems.length === 0) continue;
    conflict(
      plan,
      path,
      project.get(path) ?? text,
      `${problems.join('; ')}, which \`${action}\` removes: edit or remove the value (it would fail at run time)`,
    );
  }
}

/** Whether a path is one checkReferences reads: code that may import, and the structured files. */
export const isReferenceSource = (path: string): boolean =>
  CODE.test(path) || ['package.json', 'tsconfig.json', '.env.example'].includes(path);

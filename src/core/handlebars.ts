import Handlebars from 'handlebars';
import type { PackageManager } from './answers.js';
import { FROZEN_INSTALL, INSTALL_FILES, installCommand, LOCKFILES, runScript } from './package-manager.js';

/**
 * Our own Handlebars instance: `noEscape` because we emit code, not HTML (`a && b` must stay `a && b`), and
 * `strict` so a misspelt variable fails the render instead of silently emitting an empty string.
 * The render context always defines every feature id and every section name, so strict lookups succeed.
 */
const engine = Handlebars.create();

type HelperArgs = unknown[];
// Block helpers receive Handlebars' options object last; these logic helpers only look at the values.
const values = (args: HelperArgs): unknown[] => args.slice(0, -1);

engine.registerHelper('eq', (...args: HelperArgs) => {
  const [a, b] = values(args);
  return a === b;
});
engine.registerHelper('and', (...args: HelperArgs) => values(args).every(Boolean));
engine.registerHelper('or', (...args: HelperArgs) => values(args).some(Boolean));
engine.registerHelper('not', (...args: HelperArgs) => !values(args)[0]);

// Commands in the project's package manager, from the render context's `pm`: `{{run "build"}}` → `npm run build`,
// `{{run "keys:new" "alice"}}` → `pnpm run keys:new -- alice`, `{{install}}` → `bun install`.
const pmOfRoot = (args: HelperArgs): PackageManager =>
  (args.at(-1) as { data: { root: { pm: PackageManager } } }).data.root.pm;
engine.registerHelper('run', (...args: HelperArgs) => {
  const [script, extra] = values(args);
  return runScript(pmOfRoot(args), String(script), extra === undefined ? '' : String(extra));
});
engine.registerHelper('install', (...args: HelperArgs) => installCommand(pmOfRoot(args)));
// The Dockerfile and CI: `{{lockfile}}`, `{{frozenInstall}}`, `{{installFiles}}` (space-separated, for COPY).
engine.registerHelper('lockfile', (...args: HelperArgs) => LOCKFILES[pmOfRoot(args)]);
engine.registerHelper('frozenInstall', (...args: HelperArgs) => FROZEN_INSTALL[pmOfRoot(args)]);
engine.registerHelper('installFiles', (...args: HelperArgs) => INSTALL_FILES[pmOfRoot(args)].join(' '));

const cache = new Map<string, Handlebars.TemplateDelegate>();

/** Renders `text` with `context`; `source` names the template in errors. Compiled templates are reused. */
export function renderTemplate(text: string, context: object, source: string): string {
  let compiled = cache.get(text);
  if (!compiled) {
    compiled = engine.compile(text, { strict: true, noEscape: true });
    cache.set(text, compiled);
  }
  try {
    return compiled(context);
  } catch (error) {
    throw new Error(`Rendering ${source}: ${(error as Error).message}`);
  }
}

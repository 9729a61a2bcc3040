import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { PackageManager } from './answers.js';
import { FROZEN_INSTALL, INSTALL_FILES, installCommand, LOCKFILES, runScript } from './package-manager.js';
import { PRECOMPILED_FILE, precompiledKey, type TemplateSpecs } from './precompiled.js';

/**
 * Our own Handlebars instance: `noEscape` because we emit code, not HTML (`a && b` must stay `a && b`), and
 * `strict` so a misspelt variable fails the render instead of silently emitting an empty string.
 * The render context always defines every feature id and every section name, so strict lookups succeed.
 *
 * Speed (issue 15): parsing and compiling the templates was most of a create's time, so the build precompiles
 * them (scripts/precompile-templates.mjs → dist/precompiled-templates.cjs) and a create needs only Handlebars'
 * small runtime. A template the build did not see (tests run from src/, a template edited after the build) is
 * compiled here on first use, with the compiler loaded only then; both paths share these options and helpers.
 */
type Handlebars = typeof import('handlebars');
const require = createRequire(import.meta.url);

export const COMPILE_OPTIONS = { strict: true, noEscape: true } as const;

const engine = (require('handlebars/runtime') as Handlebars).create();

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

/** Template text → its specification as JavaScript source, with the full compiler (loaded on first use). */
export const precompileSource = (text: string): string =>
  (require('handlebars') as Handlebars).precompile(text, COMPILE_OPTIONS) as unknown as string;

let precompiled: TemplateSpecs | undefined;
/** The build's precompiled specs, read on the first render (an empty set when the build made none). */
function precompiledSpecs(): TemplateSpecs {
  if (precompiled === undefined) {
    const file = fileURLToPath(new URL(`../${PRECOMPILED_FILE}`, import.meta.url));
    precompiled = existsSync(file) ? (require(file) as TemplateSpecs) : {};
  }
  return precompiled;
}

/** Tests: render with these specs (as the built CLI does), from now on. */
export function usePrecompiled(specs: TemplateSpecs): void {
  precompiled = specs;
  cache.clear();
}

const cache = new Map<string, Handlebars.TemplateDelegate>();
let compiledHere = 0;
/** How many templates were compiled at render time rather than taken precompiled (tests). */
export const runtimeCompiles = (): number => compiledHere;

/** Text → a render function: the build's precompiled spec when it has this exact text, else compiled now. */
function compiled(text: string): Handlebars.TemplateDelegate {
  let template = cache.get(text);
  if (template === undefined) {
    const spec = precompiledSpecs()[precompiledKey(text)];
    if (spec === undefined) compiledHere++;
    template = engine.template(spec ?? new Function(`return ${precompileSource(text)}`)());
    cache.set(text, template);
  }
  return template;
}

/** Renders `text` with `context`; `source` names the template in errors. Compiled templates are reused. */
export function renderTemplate(text: string, context: object, source: string): string {
  try {
    return compiled(text)(context);
  } catch (error) {
    throw new Error(`Rendering ${source}: ${(error as Error).message}`);
  }
}

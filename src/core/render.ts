import { FEATURES } from '../features/index.js';
import { type Answers, type PackageManager, pmOf } from './answers.js';
import { envExample } from './computed/env-example.js';
import { featuresGenerated } from './computed/features-generated.js';
import { packageJson, preloads } from './computed/package-json.js';
import type { FeatureManifest } from './feature.js';
import { renderTemplate } from './handlebars.js';
import { slugify } from './slug.js';
import { loadTemplates, outputPath, type TemplateSet } from './templates.js';
import { sortedTree, type VirtualTree } from './tree.js';
import { generatorCommand } from './version.js';

/** Files the generator computes from the manifests; a template providing one of them is a bug. */
export const COMPUTED_FILES = ['package.json', '.env.example', 'src/features.generated.ts'] as const;

export interface RenderOptions {
  /** Preloaded templates (the snapshot matrix loads them once for hundreds of renders). */
  templates?: TemplateSet;
  /** The feature registry; tests may pass their own. */
  features?: readonly FeatureManifest[];
  /**
   * How the project runs its generator (the `prod-mcp` script); default: how this generator was started
   * (version.ts `generatorCommand`). Golden files pass the published form so they read the same everywhere.
   */
  generatorCommand?: string;
}

/** The Handlebars context every template and section sees (documented in the brief's template rules). */
export interface RenderContext {
  answers: Answers;
  name: string;
  /** `name` made safe for unit files, Kubernetes names and image names (see slug.ts). */
  slug: string;
  /** Every known feature id → whether it is on, so `{{#if features.otel}}` works in strict mode. */
  features: Record<string, boolean>;
  /** The package manager every printed command uses (`{{run "build"}}`, `{{install}}`; see handlebars.ts). */
  pm: PackageManager;
  /** The enabled features' setup lines (FeatureManifest.setup): the README's quick start runs them after `.env`. */
  setup: string[];
  /** Modules to `node --import` before dist/main.js, in order (Dockerfile CMD, systemd ExecStart, k8s). */
  preloads: string[];
  /** Section name → the concatenated `@sections/<name>` contributions of the enabled features. */
  sections: Record<string, string>;
}

/**
 * Sections: each enabled feature's `@sections/<name>.{hbs,md}`, rendered, trailing newlines trimmed, joined
 * in feature order with a blank line between. Every section name is defined ('' when nobody contributes), so
 * a shared template can test it with `{{#if sections.readme}}`.
 */
function renderSections(
  templates: TemplateSet,
  enabled: readonly FeatureManifest[],
  base: Omit<RenderContext, 'sections'>,
): Record<string, string> {
  const parts: Record<string, string[]> = {};
  for (const name of templates.sectionNames) parts[name] = [];
  for (const feature of enabled) {
    for (const [name, section] of templates.features.get(feature.id)?.sections ?? []) {
      const source = `templates/${feature.id}/@sections/${name}`;
      const text = section.handlebars ? renderTemplate(section.text, base, source) : section.text;
      parts[name]?.push(text.replace(/\n+$/, ''));
    }
  }
  return Object.fromEntries(Object.entries(parts).map(([name, texts]) => [name, texts.join('\n\n')]));
}

/** The context every template and section sees, less the sections themselves (they are rendered with it). */
function baseContext(
  answers: Answers,
  registry: readonly FeatureManifest[],
  enabled: readonly FeatureManifest[],
): Omit<RenderContext, 'sections'> {
  return {
    answers,
    name: answers.name,
    slug: slugify(answers.name),
    pm: pmOf(answers),
    setup: enabled.flatMap((feature) => feature.setup?.(answers) ?? []),
    preloads: preloads(enabled),
    features: Object.fromEntries(registry.map((f) => [f.id, enabled.includes(f)])),
  };
}

/**
 * Answers → the whole project in memory. Pure apart from reading templates; deterministic (no clock, no
 * network), so the same answers always give the same bytes — which `update` relies on to rebuild its merge base.
 */
export function render(answers: Answers, options: RenderOptions = {}): VirtualTree {
  const templates = options.templates ?? loadTemplates();
  const registry = options.features ?? FEATURES;
  const enabled = registry.filter((feature) => feature.enabled(answers));
  const base = baseContext(answers, registry, enabled);
  const context: RenderContext = { ...base, sections: renderSections(templates, enabled, base) };

  const tree: VirtualTree = new Map();
  const owners = new Map<string, string>();
  for (const feature of enabled) {
    for (const [templatePath, text] of templates.features.get(feature.id)?.files ?? []) {
      const source = `templates/${feature.id}/${templatePath}`;
      // Paths may hold `{{slug}}` / `{{name}}` (a systemd unit is named after the service).
      const path = outputPath(
        templatePath.includes('{{') ? renderTemplate(templatePath, context, source) : templatePath,
      );
      if ((COMPUTED_FILES as readonly string[]).includes(path)) {
        throw new Error(
          `${source}: ${path} is computed from the feature manifests; declare it there instead`,
        );
      }
      const content = templatePath.endsWith('.hbs') ? renderTemplate(text, context, source) : text;
      // A template that renders to nothing (e.g. wrapped in `{{#if features.http}}`) means "no such file here",
      // so a feature can provide a default that another feature's file replaces (test/helpers/auth.ts).
      if (templatePath.endsWith('.hbs') && content.trim() === '') continue;
      const previous = owners.get(path);
      if (previous !== undefined) throw new Error(`${path} is provided by both ${previous} and ${source}`);
      owners.set(path, source);
      tree.set(path, content);
    }
  }

  tree.set('package.json', packageJson(answers, enabled, options.generatorCommand ?? generatorCommand()));
  const env = envExample(enabled);
  if (env !== '') tree.set('.env.example', env);
  tree.set('src/features.generated.ts', featuresGenerated(enabled));
  return sortedTree(tree);
}

/**
 * Every path this generator version can write for a project of this name, whatever its features: what a lock
 * file may claim. A lock is committed text anyone can edit; an entry outside this set is not ours, so `update`
 * must neither delete nor overwrite it on the lock's word.
 */
export function generatablePaths(name: string, templates: TemplateSet = loadTemplates()): Set<string> {
  const paths = new Set<string>(COMPUTED_FILES);
  const slug = slugify(name);
  for (const feature of templates.features.values()) {
    for (const templatePath of feature.files.keys()) {
      paths.add(outputPath(templatePath.replaceAll('{{slug}}', slug).replaceAll('{{name}}', name)));
    }
  }
  return paths;
}

/**
 * Each enabled feature's own rendered `@sections/<name>` (feature id → text), for a user whose README is
 * theirs: `add` / `update` offer the new feature's section beside it instead of editing it.
 */
export function featureSections(
  answers: Answers,
  name: string,
  options: RenderOptions = {},
): Map<string, string> {
  const templates = options.templates ?? loadTemplates();
  const registry = options.features ?? FEATURES;
  const enabled = registry.filter((feature) => feature.enabled(answers));
  const base = baseContext(answers, registry, enabled);
  const out = new Map<string, string>();
  for (const feature of enabled) {
    const text = renderSections(templates, [feature], base)[name];
    if (text) out.set(feature.id, text);
  }
  return out;
}

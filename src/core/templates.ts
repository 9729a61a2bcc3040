import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Reads `templates/<feature-id>/` into memory. Two levels up from this file is the package root both from
 * `src/core/` (tests) and `dist/core/` (the published CLI), and `templates/` ships next to `dist/`.
 */
export const TEMPLATES_ROOT = fileURLToPath(new URL('../../templates/', import.meta.url));

/** A folder with this name inside a feature's templates is never emitted: its files fill shared sections. */
export const SECTIONS_DIR = '@sections';

export interface FeatureTemplates {
  /** Template path (relative, POSIX, as on disk: `_gitignore`, `src/main.ts.hbs`) → text. */
  files: Map<string, string>;
  /** Section name → template text (`@sections/readme.hbs` → `readme`). */
  sections: Map<string, { text: string; handlebars: boolean }>;
}

export interface TemplateSet {
  root: string;
  features: Map<string, FeatureTemplates>;
  /** Every section name any feature fills; each is defined (possibly empty) in every render context. */
  sectionNames: Set<string>;
}

function walk(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) out.push(...walk(join(dir, entry.name), rel));
    else if (entry.isFile()) out.push(rel);
  }
  return out.sort();
}

function readFeature(dir: string): FeatureTemplates {
  const files = new Map<string, string>();
  const sections = new Map<string, { text: string; handlebars: boolean }>();
  for (const rel of walk(dir)) {
    const text = readFileSync(join(dir, rel), 'utf8');
    if (rel.startsWith(`${SECTIONS_DIR}/`)) {
      const file = rel.slice(SECTIONS_DIR.length + 1);
      const match = /^([A-Za-z0-9_-]+)\.(hbs|md)$/.exec(file);
      if (!match?.[1]) {
        throw new Error(`${join(dir, rel)}: a section file must be named <section>.hbs or <section>.md`);
      }
      sections.set(match[1], { text, handlebars: match[2] === 'hbs' });
    } else {
      files.set(rel, text);
    }
  }
  return { files, sections };
}

/** Loads every feature folder under `root`. Missing folders are fine: a feature may have no files. */
export function loadTemplates(root: string = TEMPLATES_ROOT): TemplateSet {
  const features = new Map<string, FeatureTemplates>();
  const sectionNames = new Set<string>();
  for (const id of readdirSync(root).sort()) {
    const dir = join(root, id);
    if (!statSync(dir).isDirectory()) continue;
    const feature = readFeature(dir);
    for (const name of feature.sections.keys()) sectionNames.add(name);
    features.set(id, feature);
  }
  return { root, features, sectionNames };
}

/** Template path → output path: drop `.hbs`, and a leading `_` in any segment becomes `.`. */
export function outputPath(templatePath: string): string {
  const withoutHbs = templatePath.endsWith('.hbs') ? templatePath.slice(0, -4) : templatePath;
  return withoutHbs
    .split('/')
    .map((segment) => (segment.startsWith('_') ? `.${segment.slice(1)}` : segment))
    .join('/');
}

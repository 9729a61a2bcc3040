import type { EnvVar, FeatureManifest } from '../feature.js';

/**
 * `.env.example`: every variable the chosen features read, grouped under the feature's title, each with its
 * description. A required variable, or one with a `default`, is written live; an optional variable without a
 * default is commented out, so copying the file to `.env` never switches on something the user did not ask for.
 */
function line(v: EnvVar): string {
  if (v.required) return `${v.name}=${v.example}`;
  if (v.default !== undefined) return `${v.name}=${v.default}`;
  return `# ${v.name}=${v.example}`;
}

export function envExample(features: readonly FeatureManifest[]): string {
  const blocks: string[] = [];
  const seen = new Map<string, string>();
  for (const feature of features) {
    if (!feature.env || feature.env.length === 0) continue;
    const lines = [`# ${feature.title}`];
    for (const v of feature.env) {
      const owner = seen.get(v.name);
      if (owner !== undefined) {
        throw new Error(`.env.example: ${v.name} is declared by both "${owner}" and "${feature.id}"`);
      }
      seen.set(v.name, feature.id);
      // "(required)" closes the description: descriptions wrap mid-sentence, so the first line is not the place.
      const text = `${v.description}${v.required ? ' (required)' : ''}`;
      lines.push(...text.split('\n').map((comment) => `# ${comment}`.trimEnd()), line(v));
    }
    blocks.push(lines.join('\n'));
  }
  return blocks.length === 0 ? '' : `${blocks.join('\n\n')}\n`;
}

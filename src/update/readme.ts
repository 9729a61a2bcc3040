import type { Answers } from '../core/answers.js';
import { featureSections } from '../core/render.js';
import { FEATURES } from '../features/index.js';
import type { Change, Plan } from './plan.js';

/**
 * README.md is a seed file: generated once, replaced by add/update only while the user has not edited it (an
 * unedited README is the generator's documentation of the project, and must describe the features it has now),
 * never touched once edited. An edited README would then go on documenting the old features (issue 11: after
 * `add jwt` it still explained API keys), so each newly enabled feature's README section is written beside it as
 * `.prod-mcp/README-<feature>.md` for the user to paste, and the features turned off are named.
 */

export const README = 'README.md';

export interface ReadmeOffer {
  /** The section files to write (CREATE / UPDATE in the plan). */
  changes: Change[];
  /** What to print after the run. */
  lines: string[];
}

const titleOf = (id: string): string => FEATURES.find((feature) => feature.id === id)?.title ?? id;

export function readmeOffer(
  plan: Plan,
  previous: Answers,
  answers: Answers,
  readme: { ours?: string; theirs?: string },
  existing: ReadonlyMap<string, string | undefined>,
): ReadmeOffer {
  const offer: ReadmeOffer = { changes: [], lines: [] };
  const replaced = plan.changes.some((change) => change.path === README);
  if (readme.ours === undefined || readme.theirs === undefined || replaced || readme.ours === readme.theirs)
    return offer;
  const before = featureSections(previous, 'readme');
  const after = featureSections(answers, 'readme');
  const added = [...after.keys()].filter((id) => !before.has(id));
  const removed = [...before.keys()].filter((id) => !after.has(id));
  if (added.length === 0 && removed.length === 0) return offer;

  offer.lines.push('README.md is yours (you edited it), so this run did not change it.');
  for (const id of added) {
    const path = `.prod-mcp/README-${id}.md`;
    const text = `${after.get(id)}\n`;
    const current = existing.get(path);
    if (current !== text)
      offer.changes.push({
        kind: current === undefined ? 'create' : 'update',
        path,
        class: 'managed',
        before: current,
        after: text,
      });
    offer.lines.push(`  The section for ${titleOf(id)} is in ${path}: paste what you need into README.md.`);
  }
  if (removed.length > 0) {
    offer.lines.push(
      `  It may still describe ${removed.map(titleOf).join(', ')}, now off: remove those sections.`,
    );
  }
  return offer;
}

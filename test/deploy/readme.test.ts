import { describe, expect, test } from 'vitest';
import { FEATURES } from '../../src/features/index.js';
import { type Case, matrix, SLUG } from './matrix.js';

const SECTIONS: { heading: string; on(c: Case): boolean }[] = [
  { heading: '## Run in Docker', on: (c) => c.answers.docker },
  { heading: '## Run under systemd', on: (c) => c.answers.systemd },
  { heading: '## Run on Kubernetes', on: (c) => c.answers.k8s },
  { heading: '## Continuous integration', on: () => true },
];

/** Repository paths a text names: deploy files, the workflow, compose, the Dockerfile, .env.example. */
const PATHS =
  /(?<![\w/.-])(?:deploy\/[\w./-]*\w|\.github\/workflows\/\w+\.yml|compose\.yaml|Dockerfile|\.env\.example)/g;

describe('README deploy sections and next steps', () => {
  test('each enabled deploy feature has its README section, and only those', () => {
    for (const c of matrix()) {
      const readme = c.tree.get('README.md') ?? '';
      for (const section of SECTIONS) {
        expect(readme.includes(`\n${section.heading}\n`), `${c.label}: ${section.heading}`).toBe(
          section.on(c),
        );
      }
    }
  });

  test('every repository path the sections and next steps name exists in the generated tree', () => {
    const problems = new Set<string>();
    for (const c of matrix()) {
      const notes = FEATURES.filter((f) => f.enabled(c.answers)).flatMap(
        (f) => f.nextSteps?.(c.answers) ?? [],
      );
      const text = [c.tree.get('README.md') ?? '', ...notes].join('\n');
      for (const [path] of text.matchAll(PATHS)) {
        const exists = c.tree.has(path) || [...c.tree.keys()].some((file) => file.startsWith(`${path}/`));
        if (!exists) problems.add(`${c.label}: ${path}`);
      }
    }
    expect([...problems]).toEqual([]);
  });

  test('commands name the unit and the Deployment by the slug, not the npm name', () => {
    for (const c of matrix()) {
      const readme = c.tree.get('README.md') ?? '';
      if (c.answers.systemd) expect(readme, c.label).toContain(`sudo systemctl enable --now ${SLUG}\n`);
      if (c.answers.k8s) expect(readme, c.label).toContain(`kubectl rollout status deployment/${SLUG}`);
      if (c.answers.docker) expect(readme, c.label).toContain(`docker build -t ${SLUG} .`);
    }
  });
});

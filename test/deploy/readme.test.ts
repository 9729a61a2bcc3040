import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
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

  test('the Kubernetes Secret gets MCP_STATE_SECRET: step 3 run as printed writes a key the config takes', async () => {
    // Every replica must seal multi-round state with the same key; the printed block differs only by Redis.
    const blocks = new Set(
      matrix()
        .filter((c) => c.answers.k8s)
        .map((c) => {
          const readme = c.tree.get('README.md') ?? '';
          const step = readme.slice(readme.indexOf('\n3. Put the secrets'));
          const block = /```sh\n([\s\S]*?)\n\s*```/.exec(step)?.[1] ?? '';
          // The README names the command once more where it explains MCP_STATE_SECRET; the generated
          // request-state test proves the key that command makes is one the config accepts.
          const named = /`MCP_STATE_SECRET` \(`([^`]+)`\)/.exec(readme)?.[1];
          expect(named, c.label).toBe('openssl rand -base64 32');
          expect(block, c.label).toContain(`$(${named})`);
          return block.replace(/^ {3}/gm, '');
        }),
    );
    expect(blocks.size).toBeGreaterThan(0);
    for (const block of blocks) {
      const lines = block.split('\n');
      // kubectl needs a cluster: the lines before it run here, as written, in an empty folder.
      expect(lines.at(-1)).toBe(`kubectl create secret generic ${SLUG} --from-env-file=secrets.env`);
      const cwd = await mkdtemp(join(tmpdir(), 'prod-mcp-k8s-secret-'));
      try {
        for (const line of lines.slice(0, -1)) await execa('sh', ['-c', line], { cwd });
        const env = await readFile(join(cwd, 'secrets.env'), 'utf8');
        const value = /^MCP_STATE_SECRET=(.+)$/m.exec(env)?.[1] ?? '';
        // The config's minimum (z.string().min(32) in src/config.ts).
        expect(value.length, env).toBeGreaterThanOrEqual(32);
      } finally {
        await rm(cwd, { recursive: true, force: true });
      }
    }
  });
});

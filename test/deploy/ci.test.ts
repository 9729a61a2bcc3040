import { describe, expect, test } from 'vitest';
import { scripts } from './facts.js';
import { type Case, matrix, variants } from './matrix.js';
import { parseYaml } from './yaml.js';

const PATH = '.github/workflows/ci.yml';

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Job {
  'runs-on': string;
  strategy?: { matrix: { node: number[] } };
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  jobs: Record<string, Job>;
}

const workflow = (c: Case) => parseYaml<Workflow>(c.tree.get(PATH) ?? '', `${c.label}: ${PATH}`);

describe('generated CI workflow', () => {
  test('every project gets one; it parses and has no template leftovers', () => {
    for (const c of matrix()) expect(c.tree.has(PATH), c.label).toBe(true);
    const texts = variants((path) => path === PATH);
    console.log(`ci.yml: ${matrix().length} cases, ${texts.length} distinct files`);
    for (const v of texts) {
      parseYaml(v.text, v.label);
      // GitHub expressions survive rendering; no Handlebars tag is left behind.
      expect(v.text, v.label).toMatch(/\$\{\{ matrix\.node \}\}/);
      expect(v.text.replaceAll('${{', ''), v.label).not.toMatch(/\{\{/);
    }
  });

  test('test job: install, type-check, lint, test, tool-schema check, conformance (HTTP) — each an existing script', () => {
    for (const c of matrix()) {
      const job = workflow(c).jobs.test as Job;
      const runs = job.steps.flatMap((step) => (step.run?.startsWith('npm ') ? [step.run] : []));
      expect(runs, c.label).toEqual([
        'npm install --no-audit --no-fund',
        'npm run typecheck',
        'npm run lint',
        'npm test',
        'npm run tools:check',
        ...(c.answers.transport === 'stdio' ? [] : ['npm run conformance']),
      ]);
      const available = scripts(c.tree);
      for (const run of runs) {
        const script = /^npm (?:run (\S+)|(test))$/.exec(run);
        const name = script?.[1] ?? script?.[2];
        if (name) expect(available[name], `${c.label}: package.json script "${name}"`).toBeDefined();
      }
      // Both supported Node lines, which are what package.json's engines promise.
      expect(job.strategy?.matrix.node, c.label).toEqual([22, 24]);
      expect(JSON.parse(c.tree.get('package.json') ?? '{}').engines?.node, c.label).toBe('>=22');
    }
  });

  test('every action is pinned to a full commit SHA, with the release it is in a comment', () => {
    for (const c of matrix()) {
      const text = c.tree.get(PATH) ?? '';
      const uses = text.split('\n').filter((line) => /^\s*(- )?uses:/.test(line));
      expect(uses.length, c.label).toBeGreaterThan(0);
      for (const line of uses)
        expect(line, c.label).toMatch(/uses: [\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
    }
  });

  test('with --rate-limit redis the runner installs the redis-server the Redis tests start', () => {
    for (const c of matrix()) {
      const job = workflow(c).jobs.test as Job;
      const install = job.steps.findIndex((step) => /apt-get install .*redis-server/.test(step.run ?? ''));
      expect(install >= 0, c.label).toBe(c.answers.rateLimit === 'redis');
      if (install >= 0)
        expect(install, c.label).toBeLessThan(job.steps.findIndex((s) => s.run === 'npm test'));
    }
  });

  test('with --docker a second job lints the Dockerfile with hadolint and builds the image', () => {
    for (const c of matrix()) {
      const jobs = workflow(c).jobs;
      expect(Object.keys(jobs), c.label).toEqual(c.answers.docker ? ['test', 'docker'] : ['test']);
      if (!c.answers.docker) continue;
      const uses = (jobs.docker as Job).steps.map((step) => step.uses?.split('@')[0]);
      expect(uses, c.label).toContain('hadolint/hadolint-action');
      expect(uses, c.label).toContain('docker/build-push-action');
      const hadolint = (jobs.docker as Job).steps.find((s) => s.uses?.startsWith('hadolint/'));
      expect(c.tree.has(String(hadolint?.with?.dockerfile)), c.label).toBe(true);
    }
  });
});

import { describe, expect, test } from 'vitest';
import { PACKAGE_MANAGERS, type PackageManager } from '../../src/core/answers.js';
import { FROZEN_INSTALL, LOCKFILES } from '../../src/core/package-manager.js';
import { projectFiles } from '../../src/core/project.js';
import { resolveAnswers } from '../../src/core/validate.js';
import { args, copySteps, isIgnored, ofKind, parseStages } from './dockerfile.js';
import { parseYaml } from './yaml.js';

/**
 * The Dockerfile, .dockerignore and CI workflow speak the project's package manager: its lockfile is what they
 * copy and cache, its (frozen where the lockfile is portable) install is what they run, and no other manager's
 * file or command appears. npm's output is the one the rest of test/deploy checks in depth.
 */
interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
const render = (pm: PackageManager) => projectFiles(resolveAnswers({ packageManager: pm }, 'pm-server'));
const others = (pm: PackageManager) => PACKAGE_MANAGERS.filter((other) => other !== pm);

describe.each(PACKAGE_MANAGERS)('--pm %s', (pm) => {
  const tree = render(pm);
  const dockerfile = tree.get('Dockerfile') ?? '';
  const stages = parseStages(dockerfile);
  const steps = parseYaml<{ jobs: { test: { steps: Step[] } } }>(
    tree.get('.github/workflows/ci.yml') ?? '',
    pm,
  ).jobs.test.steps;

  test('the image copies its lockfile (allowed by .dockerignore) and installs frozen from it', () => {
    const lockfile = LOCKFILES[pm];
    for (const name of ['deps', 'build']) {
      const stage = stages.find((s) => s.name === name);
      if (stage === undefined) throw new Error(`no ${name} stage`);
      const sources = copySteps(stage).flatMap((step) => step.sources);
      expect(sources, name).toContain(lockfile);
      // Every copied file is generated, or is the lockfile the install writes.
      for (const source of sources.filter((s) => !s.includes('*') && !s.endsWith('/') && s !== 'src')) {
        expect(source === lockfile || tree.has(source), `${name}: COPY ${source}`).toBe(true);
        expect(isIgnored(tree.get('.dockerignore') ?? '', source), `.dockerignore lets ${source} in`).toBe(
          false,
        );
      }
    }
    const runs = stages.flatMap((stage) => ofKind(stage, 'RUN').map((run) => args(run).join(' ')));
    expect(runs.join('\n')).toContain(FROZEN_INSTALL[pm]);
    expect(runs.some((run) => run.includes(`${pm} run build`) || run.includes('npm run build'))).toBe(true);
    for (const other of others(pm))
      expect(dockerfile, `no ${LOCKFILES[other]}`).not.toContain(LOCKFILES[other]);
    // The server itself always runs on Node: the last stage's CMD starts node.
    expect(dockerfile).toMatch(/CMD \["node", /);
  });

  test('CI sets the manager up, caches its downloads, and runs every step with it', () => {
    const uses = steps.flatMap((step) => (step.uses ? [step.uses.split('@')[0]] : []));
    const runs = steps.flatMap((step) => (step.run ? [step.run] : []));
    const caches = steps.flatMap((step) => (step.with?.cache ? [step.with.cache] : []));
    expect(runs).toContain(FROZEN_INSTALL[pm]);
    for (const run of runs.filter((r) => !r.startsWith('sudo ') && !r.startsWith('corepack '))) {
      expect(run.startsWith(`${pm} `), run).toBe(true);
    }
    if (pm === 'npm') expect(caches).toEqual(['npm']);
    if (pm === 'pnpm') {
      expect(uses.indexOf('pnpm/action-setup')).toBeLessThan(uses.indexOf('actions/setup-node'));
      expect(steps.find((s) => s.uses?.startsWith('pnpm/action-setup'))?.with?.version).toBe(12);
      expect(caches).toEqual(['pnpm']);
    }
    if (pm === 'yarn') {
      expect(runs).toContain('corepack enable yarn');
      expect(caches).toEqual(['yarn']);
    }
    if (pm === 'bun') {
      expect(uses).toContain('oven-sh/setup-bun');
      expect(steps.find((s) => s.uses?.startsWith('actions/cache'))?.with?.key).toContain(
        "hashFiles('bun.lock')",
      );
    }
  });
});

import { validate } from 'dockerfile-utils';
import { parse as parseJsonc } from 'jsonc-parser';
import { describe, expect, test } from 'vitest';
import { hasHttp } from '../../src/core/answers.js';
import type { VirtualTree } from '../../src/core/tree.js';
import {
  args,
  copySteps,
  execForm,
  isIgnored,
  matchSource,
  ofKind,
  parseStages,
  type Stage,
  stageEnv,
} from './dockerfile.js';
import { scripts, sourceOf } from './facts.js';
import { matrix, variants } from './matrix.js';

/** Files an installed project has beyond the rendered tree: `npm install` (which create runs) writes the lockfile. */
const INSTALL_OUTPUTS = ['package-lock.json'];

const dockerCases = () => matrix().filter((c) => c.answers.docker);

/** The compiler options the build script uses: `tsc -p <file>`, following `extends` (one level is all we write). */
function buildOutput(tree: VirtualTree): { rootDir?: string; outDir?: string } {
  const build = scripts(tree).build ?? '';
  const file = /-p\s+(\S+)/.exec(build)?.[1] ?? 'tsconfig.json';
  const read = (path: string): { extends?: string; compilerOptions?: Record<string, string> } =>
    parseJsonc(tree.get(path.replace(/^\.\//, '')) ?? '{}');
  const config = read(file);
  const parent = config.extends ? read(config.extends).compilerOptions : {};
  return { ...parent, ...config.compilerOptions };
}

describe('Dockerfile', () => {
  const dockerfiles = variants((path) => path === 'Dockerfile');

  test('renders for every case with --docker, and only then', () => {
    for (const c of matrix()) expect(c.tree.has('Dockerfile'), c.label).toBe(c.answers.docker);
    expect(dockerfiles.length).toBeGreaterThan(1);
    console.log(`Dockerfile: ${dockerCases().length} cases, ${dockerfiles.length} distinct files`);
  });

  test.each(dockerfiles.map((v) => [v.label, v] as const))(
    '%s: dockerfile-utils finds no problem',
    (_, v) => {
      expect(validate(v.text)).toEqual([]);
    },
  );

  test.each(dockerfiles.map((v) => [v.label, v] as const))('%s: deps → build → runtime', (_, v) => {
    const stages = parseStages(v.text);
    expect(stages.map((s) => s.name)).toEqual(['deps', 'build', undefined]);
    // Current LTS, pinned by major, slim; the same image for every stage.
    for (const stage of stages) expect(stage.image).toBe('node:24-slim');
    const [deps, build, runtime] = stages as [Stage, Stage, Stage];
    expect(ofKind(deps, 'RUN').map(args)).toEqual([
      ['npm', 'install', '--omit=dev', '--no-audit', '--no-fund'],
    ]);
    expect(ofKind(build, 'RUN').map(args).at(-1)).toEqual(['npm', 'run', 'build']);
    // The runtime gets production dependencies from deps and compiled output from build; no npm install there.
    expect(ofKind(runtime, 'RUN')).toEqual([]);
    expect(copySteps(runtime).filter((step) => step.from)).toEqual([
      { from: 'deps', sources: ['/app/node_modules'], dest: './node_modules' },
      { from: 'build', sources: ['/app/dist'], dest: './dist' },
    ]);
  });

  test.each(dockerfiles.map((v) => [v.label, v] as const))('%s: runtime stage', (_, v) => {
    const runtime = parseStages(v.text).at(-1) as Stage;
    const http = v.cases.map((c) => hasHttp(c.answers));
    expect(new Set(http).size).toBe(1);
    const env = stageEnv(runtime);
    expect(env.NODE_ENV).toBe('production');
    // Non-root: the node image's unprivileged user, set after every COPY so it owns nothing it runs.
    const users = ofKind(runtime, 'USER').map(args);
    expect(users).toEqual([['node']]);
    const keywords = runtime.instructions.map((i) => i.getKeyword());
    expect(keywords.indexOf('USER')).toBeGreaterThan(keywords.lastIndexOf('COPY'));

    const cmds = ofKind(runtime, 'CMD');
    expect(cmds).toHaveLength(1);
    const cmd = execForm(args(cmds[0] as (typeof cmds)[0]));
    expect(cmd, 'CMD must be in exec form so SIGTERM reaches node').toBeDefined();
    expect(cmd?.[0]).toBe('node');
    expect(cmd?.at(-1)).toBe('dist/main.js');
    expect(ofKind(runtime, 'ENTRYPOINT')).toEqual([]);

    const healthchecks = ofKind(runtime, 'HEALTHCHECK').map(args);
    expect(healthchecks).toHaveLength(1);
    // Slim images have no curl or wget; the healthcheck must not rely on them.
    const commands = parseStages(v.text).flatMap((stage) => stage.instructions.map((i) => args(i).join(' ')));
    expect(commands.filter((command) => /\b(curl|wget)\b/.test(command))).toEqual([]);
    if (http[0]) {
      expect(env.HOST).toBe('0.0.0.0');
      expect(v.text).toMatch(/ALLOWED_HOSTS/);
      expect(ofKind(runtime, 'EXPOSE').map(args)).toEqual([[env.PORT]]);
      const [sub, ...rest] = healthchecks[0] as string[];
      expect(sub).toBe('CMD');
      expect(execForm(rest)).toEqual(['node', 'dist/healthcheck.js']);
    } else {
      // stdio: nothing listens, nothing to probe; documented as `docker run -i`.
      expect(healthchecks[0]).toEqual(['NONE']);
      expect(env.HOST).toBeUndefined();
      expect(ofKind(runtime, 'EXPOSE')).toEqual([]);
      expect(v.text).toMatch(/docker run -i/);
    }
  });

  test('every COPY source exists in the generated tree and is in the build context', () => {
    const problems: string[] = [];
    for (const c of dockerCases()) {
      const text = c.tree.get('Dockerfile') ?? '';
      const ignore = c.tree.get('.dockerignore') ?? '';
      const files = [...c.tree.keys(), ...INSTALL_OUTPUTS];
      for (const stage of parseStages(text)) {
        for (const step of copySteps(stage).filter((s) => !s.from)) {
          for (const source of step.sources) {
            const matched = matchSource(source, files);
            if (matched.length === 0) problems.push(`${c.label}: COPY ${source}: no such file`);
            for (const file of matched.filter((f) => isIgnored(ignore, f))) {
              problems.push(`${c.label}: COPY ${source}: ${file} is excluded by .dockerignore`);
            }
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });

  test('CMD and HEALTHCHECK run files the build compiles from the generated sources', () => {
    const problems: string[] = [];
    for (const c of dockerCases()) {
      const runtime = parseStages(c.tree.get('Dockerfile') ?? '').at(-1) as Stage;
      const { rootDir, outDir } = buildOutput(c.tree);
      if (rootDir?.replace(/^\.\//, '') !== 'src' || outDir?.replace(/^\.\//, '') !== 'dist') {
        problems.push(`${c.label}: the build compiles ${rootDir} → ${outDir}, not src → dist`);
      }
      const commands = [...ofKind(runtime, 'CMD'), ...ofKind(runtime, 'HEALTHCHECK')].map(
        (i) => execForm(args(i).filter((word) => word !== 'CMD')) ?? [],
      );
      for (const file of commands.flat().filter((word) => word.endsWith('.js'))) {
        if (!c.tree.has(sourceOf(file))) problems.push(`${c.label}: ${file} has no source ${sourceOf(file)}`);
      }
      if (!scripts(c.tree).build) problems.push(`${c.label}: package.json has no build script`);
    }
    expect(problems).toEqual([]);
  });
});

describe('.dockerignore', () => {
  const ignores = variants((path) => path === '.dockerignore');

  test('keeps secrets, local installs, build output and git out of the build context', () => {
    expect(ignores).toHaveLength(1);
    const text = ignores[0]?.text ?? '';
    for (const path of [
      '.env',
      '.env.local',
      'src/.env',
      'node_modules/zod/package.json',
      'dist/main.js',
      '.git/config',
      'key.pem',
      'src/secrets/server.key',
      'prod-mcp.lock.json',
    ]) {
      expect(isIgnored(text, path), path).toBe(true);
    }
    for (const path of ['package.json', 'package-lock.json', 'tsconfig.json', 'src/main.ts']) {
      expect(isIgnored(text, path), path).toBe(false);
    }
  });
});

import { describe, expect, test } from 'vitest';
import { nextSteps, wrap } from '../../src/cli/next-steps.js';
import type { PackageManager } from '../../src/core/answers.js';
import { parseLock } from '../../src/core/lock.js';
import { runScript } from '../../src/core/package-manager.js';
import { projectFiles } from '../../src/core/project.js';
import { render } from '../../src/core/render.js';
import { resolveAnswers } from '../../src/core/validate.js';
import { generatorCommand } from '../../src/core/version.js';
import { parseNextSteps } from '../e2e/printed.js';

const answers = (input: Record<string, string | boolean> = {}) => resolveAnswers(input, 'svc');
const steps = (input: Record<string, string | boolean>, installed = true) => {
  const a = answers(input);
  // NO_COLOR is not guaranteed here: strip colour codes before reading the block.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escape codes
  const text = nextSteps('/tmp/svc', a, render(a), installed, 100).replace(/\u001b\[\d+m/g, '');
  return parseNextSteps(text);
};

describe('runScript', () => {
  test.each([
    ['npm', 'start', '', 'npm start'],
    ['npm', 'test', '', 'npm test'],
    ['npm', 'build', '', 'npm run build'],
    ['npm', 'keys:new', 'me', 'npm run keys:new -- me'],
    ['pnpm', 'start', '', 'pnpm run start'],
    // `bun test` is bun's own runner, not the script.
    ['bun', 'test', '', 'bun run test'],
    ['yarn', 'prod-mcp', 'add redis', 'yarn run prod-mcp -- add redis'],
  ] as const)('%s %s %s → %s', (pm, script, args, expected) => {
    expect(runScript(pm as PackageManager, script, args)).toBe(expected);
  });
});

describe('"Next steps"', () => {
  test('in the order a first run needs: cd, .env, the key to paste, then dev', () => {
    expect(steps({}).commands).toEqual([
      'cd /tmp/svc',
      'cp .env.example .env',
      'npm run keys:new -- me  # paste the API_KEYS line it prints into .env',
      'npm run dev             # reloads on change',
    ]);
  });

  test('the install line only when the install did not run', () => {
    expect(steps({}, false).commands.slice(0, 3)).toEqual([
      'cd /tmp/svc',
      'npm install',
      'cp .env.example .env',
    ]);
  });

  test('values only the user has are comment lines, in feature order', () => {
    expect(steps({ auth: 'jwt', rateLimit: 'redis' }).commands.filter((l) => l.startsWith('#'))).toEqual([
      "# in .env: JWT_ISSUER, JWT_AUDIENCE (this server's /mcp URL), and JWT_JWKS_URL or JWT_SECRET",
      '# in .env: REDIS_URL of a running Redis (every replica the same)',
    ]);
  });

  test.each(['pnpm', 'yarn', 'bun'] as const)('with --pm %s, no npm command anywhere', (pm) => {
    const { commands, notes } = steps({ packageManager: pm, otel: true, metrics: true }, false);
    const printed = [...commands, ...notes].join('\n');
    expect(printed).toContain(`${pm} install`);
    expect(printed).toContain(`${pm} run dev`);
    expect(printed).toContain(`${pm} run prod-mcp -- add redis`);
    expect(printed).not.toMatch(/\bnpm (run|start|test|install)\b|npx /);
  });

  test('notes wrap at the width, with a hanging indent, never inside a `command`', () => {
    const a = answers({ otel: true, metrics: true });
    const text = nextSteps('/tmp/svc', a, render(a), true, 60);
    const noteLines = text.split('\n').slice(text.split('\n').indexOf('') + 1);
    for (const line of noteLines) {
      expect(line.length <= 60 || /`[^`]*$/.test(line.slice(0, 60)), line).toBe(true);
      expect(line.startsWith('  • ') || line.startsWith('    ')).toBe(true);
      // Every line holds whole `commands`: an even number of backticks.
      expect((line.match(/`/g) ?? []).length % 2).toBe(0);
    }
  });

  test('wrap keeps a backticked command with spaces whole', () => {
    expect(wrap('run `npm run build && npm start` now please', 12)).toEqual([
      'run',
      '`npm run build && npm start`',
      'now please',
    ]);
  });
});

describe('the package manager is an answer', () => {
  test('pnpm: the build approval pnpm 11+ needs, and pnpm commands in the README', () => {
    const tree = render(answers({ packageManager: 'pnpm' }));
    expect(tree.get('pnpm-workspace.yaml')).toMatch(/^allowBuilds:\n {2}esbuild: true$/m);
    expect(tree.has('.yarnrc.yml')).toBe(false);
    expect(tree.get('README.md')).toContain('pnpm install\ncp .env.example .env\npnpm run keys:new -- me');
    expect(tree.get('README.md')).not.toMatch(/\bnpm (run|start|test)\b/);
  });

  test('yarn: node_modules instead of Plug’n’Play, its install state ignored', () => {
    const tree = render(answers({ packageManager: 'yarn' }));
    expect(tree.get('.yarnrc.yml')).toMatch(/^nodeLinker: node-modules$/m);
    expect(tree.get('.gitignore')).toContain('.yarn/install-state.gz');
    expect(tree.has('pnpm-workspace.yaml')).toBe(false);
  });

  test('npm: neither file, and the lock does not record the default', () => {
    const tree = projectFiles(answers());
    expect(tree.has('pnpm-workspace.yaml') || tree.has('.yarnrc.yml')).toBe(false);
    expect(parseLock(tree.get('prod-mcp.lock.json') ?? '').answers).not.toHaveProperty('packageManager');
  });

  test('recorded in the lock and read back, so add/update keep it', () => {
    const lock = parseLock(projectFiles(answers({ packageManager: 'bun' })).get('prod-mcp.lock.json') ?? '');
    expect(lock.answers.packageManager).toBe('bun');
  });

  test('an unknown one in the lock is refused, naming the field', () => {
    const text = projectFiles(answers()).get('prod-mcp.lock.json') ?? '';
    const bad = text.replace('"name": "svc",', '"name": "svc",\n    "packageManager": "cargo",');
    expect(() => parseLock(bad)).toThrow(/--pm "cargo" is not one of: npm, pnpm, yarn, bun/);
  });
});

describe('the prod-mcp script', () => {
  test('runs the generator that made the project: from this checkout, its built CLI', () => {
    const pkg = JSON.parse(render(answers()).get('package.json') ?? '{}');
    expect(pkg.scripts['prod-mcp']).toBe(generatorCommand());
    expect(generatorCommand()).toMatch(/^node \S+\/dist\/cli\/index\.js$/);
  });

  test('installed from the registry (inside node_modules): npx with the exact version', () => {
    expect(generatorCommand('/home/u/.npm/_npx/1f2e/node_modules/create-prod-mcp/')).toMatch(
      /^npx create-prod-mcp@\d+\.\d+\.\d+/,
    );
  });
});

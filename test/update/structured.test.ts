import { describe, expect, it } from 'vitest';
import { mergeEnv, parseEnvBlocks } from '../../src/update/env-merge.js';
import { mergeJson } from '../../src/update/json-merge.js';

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

describe('mergeJson (package.json, tsconfig.json)', () => {
  const base = json({
    name: 'demo',
    scripts: { build: 'tsc', test: 'vitest run' },
    dependencies: { '@modelcontextprotocol/server': '^2.4.0', pino: '^10.4.0' },
    devDependencies: { typescript: '~5.9.3' },
  });

  it('adds a dependency the generator now needs where it sorts, keeping the user dependency and formatting', () => {
    const ours = base.replace('"pino": "^10.4.0"', '"left-pad": "^1.3.0",\n    "pino": "^10.4.0"');
    const theirs = json({
      name: 'demo',
      scripts: { build: 'tsc', test: 'vitest run' },
      dependencies: { '@modelcontextprotocol/server': '^2.4.0', pino: '^10.4.0', redis: '^6.3.1' },
      devDependencies: { typescript: '~5.9.3' },
    });
    const merged = mergeJson(ours, base, theirs);
    expect(merged?.notes).toEqual([]);
    expect(merged?.text).toBe(ours.replace('"pino": "^10.4.0"', '"pino": "^10.4.0",\n    "redis": "^6.3.1"'));
  });

  it('inserts a new dependency where it sorts when the user keeps the list sorted (issue 11: jose after dotenv)', () => {
    const ours = base.replace('"pino": "^10.4.0"', '"dotenv": "^17.0.0",\n    "pino": "^10.4.0"');
    const theirs = json({
      name: 'demo',
      scripts: { build: 'tsc', test: 'vitest run' },
      dependencies: { '@modelcontextprotocol/server': '^2.4.0', jose: '^6.1.0', pino: '^10.4.0' },
      devDependencies: { typescript: '~5.9.3' },
    });
    const merged = mergeJson(ours, base, theirs);
    expect(Object.keys(JSON.parse(merged?.text ?? '{}').dependencies)).toEqual([
      '@modelcontextprotocol/server',
      'dotenv',
      'jose',
      'pino',
    ]);
    // A list the user keeps in their own order is not re-sorted: the key goes after its render neighbour.
    const unsorted = base.replace('"pino": "^10.4.0"', '"pino": "^10.4.0",\n    "dotenv": "^17.0.0"');
    const kept = mergeJson(unsorted, base, theirs);
    expect(Object.keys(JSON.parse(kept?.text ?? '{}').dependencies)).toEqual([
      '@modelcontextprotocol/server',
      'jose',
      'pino',
      'dotenv',
    ]);
  });

  it('removes a key the generator added and no longer needs, only while it still holds our value', () => {
    const ours = base.replace('"build": "tsc"', '"build": "tsc -p tsconfig.build.json"');
    const theirs = json({
      name: 'demo',
      scripts: { test: 'vitest run' },
      dependencies: { '@modelcontextprotocol/server': '^2.4.0' },
      devDependencies: { typescript: '~5.9.3' },
    });
    const merged = mergeJson(ours, base, theirs);
    expect(JSON.parse(merged?.text ?? '')).toEqual({
      name: 'demo',
      scripts: { build: 'tsc -p tsconfig.build.json', test: 'vitest run' },
      dependencies: { '@modelcontextprotocol/server': '^2.4.0' },
      devDependencies: { typescript: '~5.9.3' },
    });
    expect(merged?.notes).toEqual(['kept "scripts.build": you changed it, and it is no longer generated']);
  });

  it('keeps the user value when both changed a key, and says what the generator wanted', () => {
    const ours = base.replace('^10.4.0', '^10.5.0');
    const theirs = base.replace('^10.4.0', '^10.6.0');
    const merged = mergeJson(ours, base, theirs);
    expect(merged?.text).toBe(ours);
    expect(merged?.notes).toEqual([
      'kept your "dependencies.pino" = "^10.5.0" (create-prod-mcp now writes "^10.6.0")',
    ]);
  });

  it('takes the new value of a key the user left alone, and does not re-add a key the user removed', () => {
    const ours = base.replace('    "test": "vitest run"\n', '').replace('"build": "tsc",', '"build": "tsc"');
    const theirs = base.replace('~5.9.3', '~5.9.4').replace('vitest run', 'vitest run --silent');
    const merged = mergeJson(ours, base, theirs);
    expect(merged?.text).toBe(ours.replace('~5.9.3', '~5.9.4'));
    expect(merged?.notes).toEqual(['not re-added "scripts.test": you removed it']);
  });

  it('drops an object the generator no longer writes, unless the user added keys to it', () => {
    const theirs = json({
      name: 'demo',
      scripts: { build: 'tsc', test: 'vitest run' },
      dependencies: { '@modelcontextprotocol/server': '^2.4.0', pino: '^10.4.0' },
    });
    expect(JSON.parse(mergeJson(base, base, theirs)?.text ?? '')).toEqual(JSON.parse(theirs));
    const ours = base.replace('"typescript": "~5.9.3"', '"typescript": "~5.9.3",\n    "tsx": "^4.0.0"');
    expect(JSON.parse(mergeJson(ours, base, theirs)?.text ?? '').devDependencies).toEqual({ tsx: '^4.0.0' });
  });

  it('keeps comments and tab indentation of a tsconfig', () => {
    const b = '{\n\t// strict, always\n\t"compilerOptions": {\n\t\t"strict": true\n\t}\n}\n';
    const t =
      '{\n\t// strict, always\n\t"compilerOptions": {\n\t\t"strict": true,\n\t\t"noEmit": true\n\t}\n}\n';
    const o = b.replace('// strict, always', '// strict, always (team rule)');
    expect(mergeJson(o, b, t)?.text).toBe(t.replace('// strict, always', '// strict, always (team rule)'));
  });

  it('gives up (undefined) when the user file does not parse', () => {
    expect(mergeJson('{ "name": ', base, base)).toBeUndefined();
  });
});

describe('mergeEnv (.env.example)', () => {
  const base = [
    '# Server core',
    '# Log level (required)',
    'LOG_LEVEL=info',
    '',
    '# Streamable HTTP transport',
    '# Port to listen on',
    'PORT=3000',
    '',
    '# Rate limits',
    '# Calls per minute',
    'RATE_LIMIT_PER_MINUTE=60',
    '',
  ].join('\n');

  it('reads a variable with its description and heading as one block', () => {
    expect(parseEnvBlocks(base).map((b) => b.key)).toEqual(['LOG_LEVEL', 'PORT', 'RATE_LIMIT_PER_MINUTE']);
    expect(parseEnvBlocks(`${base}# the end\n`).map((b) => b.key)).toEqual([
      'LOG_LEVEL',
      'PORT',
      'RATE_LIMIT_PER_MINUTE',
      undefined,
    ]);
    expect(parseEnvBlocks('# Title\n# A=example\n')[0]).toEqual({ key: 'A', text: '# Title\n# A=example\n' });
  });

  it('adds a new section after its predecessor, keeping a custom key and its comment', () => {
    const ours = `${base}\n# mine\nMY_FLAG=1\n`;
    const theirs = base.replace(
      'RATE_LIMIT_PER_MINUTE=60\n',
      'RATE_LIMIT_PER_MINUTE=60\n\n# Redis\n# URL (required)\nREDIS_URL=redis://localhost:6379\n',
    );
    const merged = mergeEnv(ours, base, theirs);
    expect(merged.text).toBe(`${theirs}\n# mine\nMY_FLAG=1\n`);
    expect(merged.notes).toEqual([]);
  });

  it('removes the variables of a feature that is off, unless the user changed them', () => {
    const theirs = base.replace('\n# Rate limits\n# Calls per minute\nRATE_LIMIT_PER_MINUTE=60\n', '');
    expect(mergeEnv(base, base, theirs).text).toBe(theirs);
    const ours = base.replace('=60', '=120');
    const merged = mergeEnv(ours, base, theirs);
    expect(merged.text).toBe(ours);
    expect(merged.notes).toEqual(['kept RATE_LIMIT_PER_MINUTE: you changed it, and it is no longer used']);
  });

  it('updates a description the user left alone and keeps one they edited', () => {
    const theirs = base
      .replace('# Port to listen on', '# TCP port to listen on')
      .replace('# Log level', '# Pino log level');
    const ours = base.replace('LOG_LEVEL=info', 'LOG_LEVEL=debug');
    const merged = mergeEnv(ours, base, theirs);
    expect(merged.text).toBe(ours.replace('# Port to listen on', '# TCP port to listen on'));
    expect(merged.notes).toHaveLength(1);
  });

  it('puts a new variable on its own line after a last line without a final newline', () => {
    const ours = base.slice(0, -1);
    const theirs = `${base}# New\nNEW_ONE=2\n`;
    expect(mergeEnv(ours, base, theirs).text).toBe(theirs);
  });
});

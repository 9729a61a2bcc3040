import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, loadConfig } from '../src/config.js';
import { port } from '../src/core/env.js';
import type { FeatureModule } from '../src/core/feature.js';

const feature: FeatureModule = {
  id: 'example',
  env: z.object({
    EXAMPLE_PORT: port(8080),
    EXAMPLE_API_KEY: z.string().min(20).describe('a key of 20+ characters'),
  }),
  setup: () => ({}),
};

function problems(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env, [feature]);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('config', () => {
  it('applies defaults and hands each feature its own variables', () => {
    const config = loadConfig({ EXAMPLE_API_KEY: 'k'.repeat(20), LOG_LEVEL: '' }, [feature]);
    expect(config.base).toMatchObject({
      LOG_LEVEL: 'info',
      TOOL_TIMEOUT_MS: 10_000,
      EXTERNAL_TOOL_TIMEOUT_MS: 30_000,
    });
    expect(config.features.get('example')).toMatchObject({ EXAMPLE_PORT: 8080 });
  });

  it('reports every bad variable at once, one line each, naming what is expected', () => {
    const lines = problems({ TOOL_TIMEOUT_MS: '10s', LOG_LEVEL: 'loud', EXAMPLE_PORT: '99999' });
    expect(lines).toEqual([
      'LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent, got "loud"',
      'TOOL_TIMEOUT_MS: expected a duration in milliseconds (digits only, e.g. 5000), got "10s"',
      'EXAMPLE_PORT: expected a TCP port (0-65535), got "99999"',
      'EXAMPLE_API_KEY: expected a key of 20+ characters, but it is not set',
    ]);
  });

  it('never echoes the value of a secret', () => {
    expect(problems({ EXAMPLE_API_KEY: 'short-secret' })).toEqual([
      'EXAMPLE_API_KEY: expected a key of 20+ characters, got a value that does not match (not shown: secret)',
    ]);
  });

  it('explains the format of TOOL_TIMEOUTS', () => {
    expect(problems({ EXAMPLE_API_KEY: 'k'.repeat(20), TOOL_TIMEOUTS: 'search_v1:20' })).toEqual([
      'TOOL_TIMEOUTS: expected tool=milliseconds pairs such as search_v2=20000, got the entry "search_v1:20"',
    ]);
  });
});

import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Answers } from '../../src/core/answers.js';
import type { FeatureManifest } from '../../src/core/feature.js';

/** Writes a scratch templates/ folder: { 'base/src/a.ts': '...' } → <tmp>/base/src/a.ts. */
export function templateDir(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'prod-mcp-templates-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

export const answers = (over: Partial<Answers> = {}): Answers => ({
  name: 'demo',
  transport: 'both',
  auth: 'api-key',
  rateLimit: 'memory',
  docker: true,
  systemd: false,
  k8s: false,
  otel: false,
  metrics: false,
  ...over,
});

export const feature = (id: string, over: Partial<FeatureManifest> = {}): FeatureManifest => ({
  id,
  title: `Title of ${id}`,
  enabled: () => true,
  ...over,
});

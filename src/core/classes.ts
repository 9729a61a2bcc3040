import type { FileClass } from './feature.js';

/**
 * What `add` / `update` may do to each generated file (ARCHITECTURE.md, "File classes"). Decided by path so
 * the rule is visible in one place and recorded per file in prod-mcp.lock.json.
 */
const MANAGED = new Set(['src/features.generated.ts', 'prod-mcp.lock.json']);
const STRUCTURED = new Set(['package.json', '.env.example', 'tsconfig.json']);
const SEED_FILES = new Set(['README.md', 'tools.lock.json']);
const SEED_FOLDERS = ['src/tools/', 'test/tools/'];

export function classify(path: string): FileClass {
  if (MANAGED.has(path)) return 'managed';
  if (STRUCTURED.has(path)) return 'structured';
  if (SEED_FILES.has(path) || SEED_FOLDERS.some((folder) => path.startsWith(folder))) return 'seed';
  return 'merged';
}

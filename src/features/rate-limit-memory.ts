import { pmOf } from '../core/answers.js';
import type { FeatureManifest } from '../core/feature.js';
import { runScript } from '../core/package-manager.js';

export const rateLimitMemory: FeatureManifest = {
  id: 'rate-limit-memory',
  title: 'Rate-limit store: memory',
  hint: 'exact for one process; each replica counts on its own',
  slot: 'rate-limit',
  enabled: (a) => a.rateLimit === 'memory',
  module: { from: './features/rate-limit-memory/index.js', export: 'rateLimitMemory' },
  nextSteps: (a) => [
    `Limits: counted in process memory. Several replicas? \`${runScript(pmOf(a), 'prod-mcp', 'add redis')}\` shares them through Redis.`,
  ],
};

import type { FeatureManifest } from '../core/feature.js';

export const rateLimitMemory: FeatureManifest = {
  id: 'rate-limit-memory',
  title: 'Rate-limit store: memory',
  hint: 'exact for one process; each replica counts on its own',
  slot: 'rate-limit',
  enabled: (a) => a.rateLimit === 'memory',
  module: { from: './features/rate-limit-memory/index.js', export: 'rateLimitMemory' },
  nextSteps: () => [
    'Limits: counted in process memory. Running several replicas? `create-prod-mcp add redis` makes them shared.',
  ],
};

import { features } from '../../src/features.generated.js';
import { serve } from '../../src/lifecycle.js';
import { prompts } from '../../src/prompts/index.js';
import { resources } from '../../src/resources/index.js';
import { tools } from '../../src/tools/index.js';
import {
  conformancePrompts,
  conformanceResources,
  conformanceTools,
  serverRequestTools,
} from './fixtures.js';
import { inputRequiredPrompts, inputRequiredTools } from './input-required.js';
import { taskTools } from './tasks.js';

/**
 * `npm run conformance:serve`: the real server (same lifecycle, composition and pipeline as production, every
 * chosen feature on) over HTTP, plus the official suite's fixtures. Authentication is the one feature left
 * out: the suite cannot present credentials. Both revisions send ~330 requests from one address, so the edge
 * flood limit is raised here unless the environment (or .env) sets it: .env.example's 600 a minute holds them
 * too. The per-item limits stay as configured.
 */
process.env.MCP_TRANSPORT = 'http';
process.env.EDGE_RATE_LIMIT_PER_MINUTE ??= '100000';

await serve(
  {
    tools: [...tools, ...conformanceTools, ...inputRequiredTools, ...serverRequestTools, ...taskTools],
    resources: [...resources, ...conformanceResources],
    prompts: [...prompts, ...conformancePrompts, ...inputRequiredPrompts],
  },
  features.filter((feature) => !feature.id.startsWith('auth-')),
);

import type { FeatureManifest } from '../core/feature.js';

/** stdio for clients that launch the server (Claude Desktop, VS Code); logs go to stderr. */
export const stdio: FeatureManifest = {
  id: 'stdio',
  title: 'stdio transport',
  hint: 'for clients that launch the server as a child process',
  slot: 'transport',
  enabled: (a) => a.transport !== 'http',
  module: { from: './features/stdio/index.js', export: 'stdio' },
  nextSteps: (a) => [
    `stdio: \`${a.transport === 'both' ? 'node dist/main.js --stdio' : 'node dist/main.js'}\` once built; client snippets in README.md, "stdio".`,
  ],
};

import { pmOf } from '../core/answers.js';
import type { FeatureManifest } from '../core/feature.js';
import { runScript } from '../core/package-manager.js';

/**
 * What every generated server gets: the composition root, config, tool runner, logger, health, example
 * tools and the tool-schema lock. The SDK line is v2 (`@modelcontextprotocol/server`, Node >= 20, zod >= 4.2).
 */
export const base: FeatureManifest = {
  id: 'base',
  title: 'Server core',
  enabled: () => true,
  dependencies: {
    '@modelcontextprotocol/server': '^2.4.0',
    pino: '^10.4.0',
    zod: '^4.6.7',
  },
  devDependencies: {
    '@biomejs/biome': '^2.6.8',
    '@modelcontextprotocol/client': '^2.4.0',
    '@types/node': '^22.19.0',
    tsx: '^4.23.15',
    typescript: '~5.9.3',
    vitest: '^4.1.12',
  },
  scripts: {
    build: 'tsc -p tsconfig.build.json',
    // `.env` (copied from .env.example) is read when present; real environment variables win over it.
    start: 'node --env-file-if-exists=.env dist/main.js',
    dev: 'tsx watch --env-file-if-exists=.env src/main.ts',
    typecheck: 'tsc --noEmit',
    lint: 'biome check .',
    format: 'biome check --write .',
    test: 'vitest run',
    'tools:check': 'tsx scripts/tools-lock.ts check',
    'tools:lock': 'tsx scripts/tools-lock.ts write',
    usage: 'node dist/usage.js',
  },
  env: [
    {
      name: 'LOG_LEVEL',
      description: 'fatal, error, warn, info, debug, trace or silent.',
      example: 'info',
      default: 'info',
    },
    {
      name: 'MCP_TRANSPORT',
      description:
        'http or stdio, when the server has both (the --stdio flag wins). Default: http if available.',
      example: 'stdio',
    },
    {
      name: 'TOOL_TIMEOUT_MS',
      description: 'Deadline of a tool call, in milliseconds.',
      example: '10000',
      default: '10000',
    },
    {
      name: 'EXTERNAL_TOOL_TIMEOUT_MS',
      description: 'Deadline of a tool marked `external` (it calls another system), in milliseconds.',
      example: '30000',
      default: '30000',
    },
    {
      name: 'TOOL_TIMEOUTS',
      description:
        'Per-tool deadlines that win over everything else: tool=milliseconds pairs, comma-separated.',
      example: 'npm_package_v1=20000',
    },
    {
      name: 'TASK_TIMEOUT_MS',
      description:
        'Deadline of a tool running as a task (tasks extension), instead of the tool deadline, in milliseconds.',
      example: '900000',
      default: '900000',
    },
    {
      name: 'TASK_TTL_MS',
      description: 'How long a task and its result stay readable after its last change, in milliseconds.',
      example: '3600000',
      default: '3600000',
    },
    {
      name: 'TASK_LEASE_MS',
      description:
        'Lease of a running task, renewed every third of it: once it lapses (the process running the task died),\n' +
        'the task reads failed with a retryable error on every replica instead of working forever.',
      example: '15000',
      default: '15000',
    },
    {
      name: 'DRAIN_TIMEOUT_MS',
      description: 'On shutdown, how long in-flight calls may still run before they are aborted.',
      example: '10000',
      default: '10000',
    },
    {
      name: 'SHUTDOWN_DELAY_MS',
      description:
        'On shutdown, how long readiness fails before new requests are refused (~5000 behind a load balancer).',
      example: '5000',
      default: '0',
    },
    {
      name: 'NPM_REGISTRY_URL',
      description:
        'Registry the example tools npm_package_v1 and npm_report_v1 call; delete it when you delete them.',
      example: 'https://registry.npmjs.org',
      default: 'https://registry.npmjs.org',
    },
    {
      name: 'MCP_STATE_SECRET',
      description:
        'Seals the state multi-round calls (input-required) hand the client: `openssl rand -base64 32`.\n' +
        'Required with several HTTP replicas (the same on each); unset, each process makes its own.',
      example: 'PASTE-openssl-rand-base64-32',
    },
    {
      name: 'MCP_STATE_SECRET_PREVIOUS',
      description:
        'While rotating MCP_STATE_SECRET: the old value, still accepted for states already handed out.',
      example: 'PASTE-the-previous-secret',
    },
  ],
  nextSteps: (a) => [
    `Build and start: \`${runScript(pmOf(a), 'build')} && ${runScript(pmOf(a), 'start')}\`; test: \`${runScript(pmOf(a), 'test')}\`.`,
    'Add a tool in src/tools/ (README.md, "Tools").',
  ],
};

import { type Answers, DEFAULT_ANSWERS } from '../../src/core/answers.js';

/** The representative projects kept as golden files (test/snapshots/__gen__/<preset>/). */
export const PRESETS: Record<string, Answers> = {
  defaults: { name: 'my-mcp-server', ...DEFAULT_ANSWERS },
  'everything-on': {
    name: 'everything-server',
    transport: 'both',
    auth: 'jwt',
    rateLimit: 'redis',
    docker: true,
    systemd: true,
    k8s: true,
    otel: true,
    metrics: true,
  },
  'stdio-minimal': {
    name: 'stdio-server',
    transport: 'stdio',
    auth: 'none',
    rateLimit: 'none',
    docker: false,
    systemd: false,
    k8s: false,
    otel: false,
    metrics: false,
  },
};

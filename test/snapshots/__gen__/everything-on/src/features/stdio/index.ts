import type { McpServer } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { z } from 'zod';
import type { FeatureModule } from '../../core/feature.js';

/**
 * MCP over stdin/stdout for clients that launch the server as a child process (Claude Desktop, VS Code).
 * stdout is the protocol channel, so nothing else may write to it: the logger writes to stderr under stdio.
 * There is no HTTP auth here: the process that launched us is trusted (principal `stdio`), and credentials
 * the tools need come from the environment it passes.
 */
export const stdio: FeatureModule = {
  id: 'stdio',
  env: z.object({}),
  setup: (_env, app) => ({
    transport: {
      name: 'stdio',
      async start(parts) {
        // One McpServer for the connection, in whichever protocol era the client opens with: the last one
        // made (a 2026-07-28 discovery probe may come first and is discarded).
        let pinned: McpServer | undefined;
        const handle = serveStdio(() => (pinned = parts.createMcpServer()), {
          onerror: (err) => app.logger.warn({ err }, 'stdio transport error'),
        });
        // The SDK routes these onto the connection's `subscriptions/listen` streams, or sends them as 2025 does.
        parts.listChanges.on((list) =>
          list === 'tools' ? pinned?.sendToolListChanged() : pinned?.sendPromptListChanged(),
        );
        // The client closing our stdin means it is done with us: shut down like on SIGTERM.
        process.stdin.once('end', () => parts.requestShutdown('stdin closed'));
        return {
          async stop() {
            await parts.drain();
            await handle.close();
          },
        };
      },
    },
  }),
};

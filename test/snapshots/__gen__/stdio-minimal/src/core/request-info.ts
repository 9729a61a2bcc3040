import { PROTOCOL_VERSION_META_KEY, type ServerContext } from '@modelcontextprotocol/server';
import type { McpRequestInfo } from './operation.js';

/** What the pipeline needs from the SDK's request context: cancellation, ids, version, progress, client log. */
export function requestInfo(ctx: ServerContext): McpRequestInfo {
  const { mcpReq } = ctx;
  const progressToken = mcpReq._meta?.progressToken;
  const info: McpRequestInfo = {
    signal: mcpReq.signal,
    rpcId: mcpReq.id,
    meta: mcpReq._meta,
    protocolVersion:
      (mcpReq.envelope as Record<string, string | undefined> | undefined)?.[PROTOCOL_VERSION_META_KEY] ??
      ctx.http?.req?.headers.get('mcp-protocol-version') ??
      undefined,
    clientLog: (level, message) => mcpReq.log(level, message),
    sdk: ctx,
  };
  if (progressToken !== undefined) {
    info.progress = (progress, total, message) =>
      mcpReq.notify({
        method: 'notifications/progress',
        params: {
          progressToken,
          progress,
          ...(total !== undefined && { total }),
          ...(message && { message }),
        },
      });
  }
  return info;
}

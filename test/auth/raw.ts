import { request } from 'node:http';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * A complete 2026-07-28 `tools/call` over node:http, which (unlike fetch) sends header values byte for byte and
 * repeated headers as given, so a hostile case controls every header. Were auth to let it through, the tool
 * would run: the battery's requests are otherwise valid.
 */
export function callTool(
  mcp: URL,
  tool: string,
  headers: Record<string, string | string[]>,
  query = '',
): Promise<RawResponse> {
  const body = JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    method: 'tools/call',
    params: {
      name: tool,
      arguments: {},
      _meta: {
        'io.modelcontextprotocol/protocolVersion': '2026-07-28',
        'io.modelcontextprotocol/clientCapabilities': {},
      },
    },
  });
  const mcpHeaders = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': '2026-07-28',
    'mcp-method': 'tools/call',
    'mcp-name': tool,
  };
  return new Promise((resolve, reject) => {
    const req = request(new URL(query, mcp), { method: 'POST', headers: { ...mcpHeaders, ...headers } });
    req.on('error', reject);
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        text += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.end(body);
  });
}

/** The JSON-RPC result of a tools/call answered as JSON or as one SSE `data:` event. */
export function rpcResult(body: string): Record<string, unknown> | undefined {
  const json = body.trimStart().startsWith('{') ? body : /^data: (.*)$/m.exec(body)?.[1];
  return json === undefined ? undefined : (JSON.parse(json) as { result?: Record<string, unknown> }).result;
}

/**
 * JSON-RPC batches (a JSON array of messages in one POST). Protocol 2025-03-26 allowed them; 2025-06-18
 * removed them and 2026-07-28 has none. Left to the SDK, an array of 100 calls ran in one HTTP request under
 * any version, so limits that count requests counted 1 for 100 calls. The protocol version is the
 * MCP-Protocol-Version header; a request without it is 2025-03-26 (what the transport spec tells servers to
 * assume).
 */
const BATCHING_VERSIONS = new Set(['2025-03-26']);
const ASSUMED_VERSION = '2025-03-26';

export type BatchVerdict =
  | { batch: false }
  | { batch: true; allowed: true; messages: number }
  | { batch: true; allowed: false; version: string };

/** Whether `body` is a batch, and if so whether this request's protocol version allows one. */
export function inspectBatch(body: Buffer, versionHeader: string | string[] | undefined): BatchVerdict {
  if (!startsWithBracket(body)) return { batch: false };
  const version = typeof versionHeader === 'string' ? versionHeader : ASSUMED_VERSION;
  if (!BATCHING_VERSIONS.has(version)) return { batch: true, allowed: false, version };
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return { batch: false }; // not JSON at all: the SDK answers the parse error
  }
  return { batch: true, allowed: true, messages: Array.isArray(parsed) ? parsed.length : 1 };
}

/** The JSON-RPC answer to a batch the version does not allow: -32600 Invalid Request, id null. */
export function batchRefusal(version: string) {
  return {
    jsonrpc: '2.0' as const,
    id: null,
    error: {
      code: -32600,
      message: `JSON-RPC batches are not part of MCP protocol version ${version} (only 2025-03-26 had them); send one message per request.`,
    },
  };
}

/** The first byte that is not JSON whitespace is `[`: cheaper than parsing every body to find out. */
function startsWithBracket(body: Buffer): boolean {
  for (const byte of body) {
    if (byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d) continue;
    return byte === 0x5b;
  }
  return false;
}

import { peerOf } from '../../core/peer.js';
import type { Principal } from '../../core/principal.js';

/**
 * Whose quota a request counts against. Authenticated callers are their principal; anonymous HTTP callers
 * (auth none) all share one principal, so they are told apart by peer instead (IPv4 address, IPv6 /64: see
 * core/peer.ts). That is only as good as the address the server sees: behind a proxy, anonymous callers share
 * the proxy's address (and its limits).
 */
export function subjectOf(principal: Principal, clientIp: string | undefined): string {
  const peer = peerOf(clientIp);
  if (principal.source === 'anonymous' && peer !== undefined) return `ip:${peer}`;
  return `${principal.source}:${principal.id}`;
}

/**
 * Which run a call is budgeted under. A run the client names (`RequestContext.runId`: the X-Run-Id header or
 * `_meta.runId`) is scoped to its caller, so one tenant can neither spend nor reset another's run. Without a
 * name, every call of the caller within the budget window counts as one run.
 */
export function runKeyOf(subject: string, runId: string | undefined): string {
  // Both parts are encoded, so no colon in a principal id or a run id can make two callers' keys meet
  // (principal `alice:x` with run `y` and principal `alice` with run `x:y`).
  const caller = encodeURIComponent(subject);
  return runId === undefined ? `caller:${caller}` : `run:${caller}:${encodeURIComponent(runId)}`;
}

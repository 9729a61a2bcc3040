import { isIPv4, isIPv6 } from 'node:net';

/**
 * Who a socket address stands for when counting per peer (connections, anonymous limits, failed sign-ins).
 * An IPv4-mapped IPv6 address (`::ffff:203.0.113.7`, what a dual-stack listener reports) is that IPv4
 * address, and an IPv6 address stands for its /64: one subscriber or host usually holds a whole /64, so
 * counting single addresses would give one attacker 2^64 fresh identities.
 */
/** The last address asked about and its peer: a request asks up to three times (auth failures, edge limit, item limits). */
let last = { address: '', peer: '' };

export function peerOf(address: string | undefined): string | undefined {
  if (address === undefined || address === '') return undefined;
  if (address === last.address) return last.peer;
  const peer = computePeer(address);
  last = { address, peer };
  return peer;
}

function computePeer(address: string): string {
  if (isIPv4(address)) return address;
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped?.[1] !== undefined && isIPv4(mapped[1])) return mapped[1];
  const bare = address.split('%')[0] ?? address;
  if (!isIPv6(bare)) return address;
  return `${ipv6Groups(bare).slice(0, 4).join(':')}::/64`;
}

/** The eight 16-bit groups of an IPv6 address, in lower-case hex without leading zeros (`::` expanded). */
function ipv6Groups(address: string): string[] {
  const [left = '', right] = address.split('::');
  const groupsOf = (part: string) =>
    part === '' ? [] : part.split(':').flatMap((group) => (group.includes('.') ? ['0', '0'] : [group]));
  const head = groupsOf(left);
  const tail = right === undefined ? [] : groupsOf(right);
  const zeros = Array.from({ length: 8 - head.length - tail.length }, () => '0');
  return [...head, ...zeros, ...tail].map((group) => Number.parseInt(group, 16).toString(16));
}

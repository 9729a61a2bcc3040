import { BlockList, isIP } from 'node:net';

/** Parses `10.0.0.0/8, 192.168.1.7, fd00::/8`; what does not parse is returned so config can name it. */
export function addressList(entries: readonly string[]): { list: BlockList; invalid: string[] } {
  const list = new BlockList();
  const invalid: string[] = [];
  for (const entry of entries) {
    const [address = '', prefix, ...rest] = entry.split('/');
    const version = isIP(address);
    const type = version === 6 ? 'ipv6' : 'ipv4';
    const bits = Number(prefix);
    if (version === 0 || rest.length > 0) invalid.push(entry);
    else if (prefix === undefined) list.addAddress(address, type);
    else if (/^\d+$/.test(prefix) && bits <= (version === 6 ? 128 : 32)) list.addSubnet(address, bits, type);
    else invalid.push(entry);
  }
  return { list, invalid };
}

/**
 * Whether the TCP peer is one of the gateway's addresses. The socket address, never X-Forwarded-For: a
 * header is whatever the client wrote. (IPv4-mapped IPv6 peers such as ::ffff:10.0.0.5 match IPv4 ranges.)
 */
export function isTrusted(list: BlockList, address: string | undefined): boolean {
  if (address === undefined) return false;
  return list.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
}

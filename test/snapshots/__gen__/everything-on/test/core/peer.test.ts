import { describe, expect, it } from 'vitest';
import { peerOf } from '../../src/core/peer.js';

describe('peerOf: who a socket address counts as', () => {
  it('keeps an IPv4 address as it is', () => {
    expect(peerOf('203.0.113.7')).toBe('203.0.113.7');
  });

  it('maps an IPv4-mapped IPv6 address to its IPv4 address', () => {
    expect(peerOf('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(peerOf('::FFFF:127.0.0.1')).toBe('127.0.0.1');
  });

  it('groups IPv6 addresses by /64, however they are written', () => {
    const peer = '2001:db8:0:1::/64';
    expect(peerOf('2001:db8:0:1::1')).toBe(peer);
    expect(peerOf('2001:0db8:0000:0001:ffff:ffff:ffff:ffff')).toBe(peer);
    expect(peerOf('2001:db8:0:1:a:b:c:d%eth0')).toBe(peer);
    expect(peerOf('2001:db8:0:2::1')).not.toBe(peer);
    expect(peerOf('::1')).toBe('0:0:0:0::/64');
  });

  it('answers the same when asked again, in a row or in turns (the last answer is remembered)', () => {
    const asked = ['::ffff:10.0.0.1', '::ffff:10.0.0.1', '2001:db8::1', '10.0.0.1', '2001:db8::1'];
    expect(asked.map(peerOf)).toEqual([
      '10.0.0.1',
      '10.0.0.1',
      '2001:db8:0:0::/64',
      '10.0.0.1',
      '2001:db8:0:0::/64',
    ]);
  });

  it('has no peer without an address', () => {
    expect(peerOf(undefined)).toBeUndefined();
    expect(peerOf('')).toBeUndefined();
  });
});

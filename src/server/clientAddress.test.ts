import { describe, expect, it } from 'vitest';
import { clientAddress, proxyTrust } from './clientAddress.js';

const loopback = proxyTrust(['loopback']);
const nothing = proxyTrust([]);
const from = (peer: string | null, forwardedFor?: string, realIp?: string, trust = loopback) =>
  clientAddress(peer, { forwardedFor, realIp }, trust);

describe('proxyTrust', () => {
  it('matches loopback (also IPv4-mapped), addresses and CIDR ranges of both families, nothing else', () => {
    expect(loopback('127.0.0.1')).toBe(true);
    expect(loopback('127.3.4.5')).toBe(true);
    expect(loopback('::1')).toBe(true);
    expect(loopback('::ffff:127.0.0.1')).toBe(true);
    expect(loopback('10.0.0.1')).toBe(false);
    expect(loopback('not an address')).toBe(false);
    const mixed = proxyTrust(['10.0.0.0/8', '192.0.2.7', 'fd00::/8']);
    expect(mixed('10.200.1.1')).toBe(true);
    expect(mixed('11.0.0.1')).toBe(false);
    expect(mixed('192.0.2.7')).toBe(true);
    expect(mixed('192.0.2.8')).toBe(false);
    expect(mixed('fd12::3')).toBe(true);
    expect(mixed('fe80::1')).toBe(false);
    expect(mixed('127.0.0.1')).toBe(false);
    expect(nothing('127.0.0.1')).toBe(false);
  });
});

describe('clientAddress', () => {
  it('ignores the headers of a peer that is not a trusted proxy: a client cannot name itself', () => {
    expect(from('203.0.113.9', '198.51.100.1', '198.51.100.2')).toBe('203.0.113.9');
    expect(from('203.0.113.9', '127.0.0.1')).toBe('203.0.113.9');
    // Trusting nothing, not even loopback (GITLORE_TRUST_PROXY=none).
    expect(from('127.0.0.1', '198.51.100.1', undefined, nothing)).toBe('127.0.0.1');
  });

  it('behind a trusted proxy, takes the right-most hop that is no trusted proxy, never what the client wrote before it', () => {
    // nginx appends the address it saw ($proxy_add_x_forwarded_for) to whatever the client sent.
    expect(from('127.0.0.1', '198.51.100.7')).toBe('198.51.100.7');
    expect(from('127.0.0.1', '10.9.9.9, 6.6.6.6, 198.51.100.7')).toBe('198.51.100.7');
    // A chain of trusted proxies (a load balancer in 10/8, then nginx on loopback).
    const chain = proxyTrust(['loopback', '10.0.0.0/8']);
    expect(from('127.0.0.1', '1.2.3.4, 198.51.100.7, 10.0.0.5', undefined, chain)).toBe('198.51.100.7');
    // Every hop trusted: the left-most one is the client.
    expect(from('127.0.0.1', '10.0.0.8, 10.0.0.5', undefined, chain)).toBe('10.0.0.8');
    // Ports and brackets some proxies add.
    expect(from('127.0.0.1', '198.51.100.7:5123')).toBe('198.51.100.7');
    expect(from('127.0.0.1', '[2001:db8::1]:443')).toBe('2001:db8::1');
    expect(from('::ffff:127.0.0.1', '2001:db8::2')).toBe('2001:db8::2');
  });

  it('stops at a hop that is no address, keeping the proxy that passed it', () => {
    expect(from('127.0.0.1', 'unknown')).toBe('127.0.0.1');
    expect(from('127.0.0.1', '198.51.100.7, garbage', undefined, proxyTrust(['loopback']))).toBe('127.0.0.1');
    const chain = proxyTrust(['loopback', '10.0.0.0/8']);
    expect(from('127.0.0.1', '198.51.100.7, _hidden, 10.0.0.5', undefined, chain)).toBe('10.0.0.5');
  });

  it('uses X-Real-IP from a trusted peer only when there is no X-Forwarded-For', () => {
    expect(from('127.0.0.1', undefined, '198.51.100.3')).toBe('198.51.100.3');
    expect(from('127.0.0.1', '198.51.100.7', '198.51.100.3')).toBe('198.51.100.7');
    expect(from('127.0.0.1', undefined, 'not-an-ip')).toBe('127.0.0.1');
    expect(from('127.0.0.1')).toBe('127.0.0.1');
    expect(from(null, '198.51.100.7')).toBe(null);
  });
});

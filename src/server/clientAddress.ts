import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';
import type { Context, MiddlewareHandler } from 'hono';

const KEY = 'gitlore.clientAddress';

/** Whether an address (as a socket or a proxy header gives it) belongs to a trusted proxy. */
export type ProxyTrust = (address: string) => boolean;

/** An IPv4 address written as IPv6 (`::ffff:127.0.0.1`, what a dual-stack socket reports) as plain IPv4. */
function plain(address: string): string {
  const lower = address.toLowerCase();
  return lower.startsWith('::ffff:') && isIP(lower.slice(7)) === 4 ? lower.slice(7) : address;
}

/**
 * GITLORE_TRUST_PROXY as a test: `loopback` is 127.0.0.0/8 and ::1, other entries are addresses or CIDR ranges
 * (validated by the config); an empty list trusts nothing.
 */
export function proxyTrust(entries: readonly string[]): ProxyTrust {
  const list = new BlockList();
  for (const entry of entries) {
    if (entry === 'loopback') {
      list.addSubnet('127.0.0.0', 8, 'ipv4');
      list.addAddress('::1', 'ipv6');
      continue;
    }
    const [address = '', prefix] = entry.split('/');
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(prefix), family);
  }
  return (address) => {
    const ip = plain(address);
    const family = isIP(ip);
    return family !== 0 && list.check(ip, family === 6 ? 'ipv6' : 'ipv4');
  };
}

/** One hop of X-Forwarded-For or X-Real-IP as an address: bare, `[v6]:port` or `v4:port`; null when it is none. */
function hopAddress(value: string): string | null {
  const hop = value.trim();
  if (isIP(hop)) return hop;
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(hop)?.[1];
  if (bracketed && isIP(bracketed) === 6) return bracketed;
  const withPort = /^([\d.]+):\d+$/.exec(hop)?.[1];
  return withPort && isIP(withPort) === 4 ? withPort : null;
}

/**
 * The client's address: the socket's peer, unless that peer is a trusted proxy; then X-Forwarded-For read from the
 * right, skipping trusted proxies, up to the first hop that is not one (the left part of the header is whatever the
 * client wrote, so it is never read past that hop). A hop that is no address stops the walk at the proxy that passed
 * it. Without X-Forwarded-For, X-Real-IP from a trusted peer. Headers from any other peer are ignored: a client cannot
 * name itself.
 */
export function clientAddress(
  peer: string | null,
  headers: { forwardedFor: string | undefined; realIp: string | undefined },
  trusted: ProxyTrust,
): string | null {
  if (peer === null || !trusted(peer)) return peer;
  const hops = (headers.forwardedFor ?? '')
    .split(',')
    .map((hop) => hop.trim())
    .filter(Boolean);
  if (hops.length === 0) return (headers.realIp !== undefined ? hopAddress(headers.realIp) : null) ?? peer;
  let nearest = peer;
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hopAddress(hops[i] as string);
    if (hop === null) return nearest;
    if (!trusted(hop)) return hop;
    nearest = hop;
  }
  return nearest;
}

/** Reads each request's client address once (GITLORE_TRUST_PROXY decides which headers count), for clientIp. */
export function resolveClientAddress(trusted: ProxyTrust): MiddlewareHandler {
  return async (c, next) => {
    const peer = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket?.remoteAddress ?? null;
    const address = clientAddress(peer, { forwardedFor: c.req.header('x-forwarded-for'), realIp: c.req.header('x-real-ip') }, trusted);
    c.set(KEY as never, address as never);
    await next();
  };
}

/** The client's address as resolveClientAddress found it; null in in-process tests that have no socket. */
export function clientIp(c: Context): string | null {
  const resolved = c.get(KEY as never) as string | null | undefined;
  if (resolved !== undefined) return resolved;
  return (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket?.remoteAddress ?? null;
}

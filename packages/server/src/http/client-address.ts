/**
 * Who is on the other end of a request: one module for the rate limiter, the connection cap,
 * HSTS and `Secure` cookies, so all of them believe `X-Forwarded-For` and
 * `X-Forwarded-Proto` only from the reverse proxies in `TRUSTED_PROXIES` (security spec K1:
 * anyone else could claim a fresh address or a TLS connection it does not have).
 *
 * @module
 */
import { BlockList, isIP } from 'node:net';
import { ErrorCode, FileForgeError } from '@fileforge/core';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

const invalid = (message: string) =>
  new FileForgeError(ErrorCode.INVALID_CONFIG, `[fileforge:server] ${message}`);

const familyName = (family: number) => (family === 4 ? 'ipv4' : 'ipv6');

/** The 8 16-bit groups of a valid IPv6 address (`::` expanded, a dotted IPv4 tail converted). */
function ipv6Groups(address: string): number[] {
  let text = address.toLowerCase();
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const fill = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...fill, ...right].map((group) => Number.parseInt(group, 16));
}

type Ip = { address: string; family: 4 | 6 };

/** Parses an address as sockets and proxies write it; IPv4-mapped IPv6 becomes IPv4. */
function parseIp(raw: string): Ip | undefined {
  // `[v6]:port` and `v4:port` as some proxies write them; `%zone` as link-local sockets report them.
  const text = raw
    .trim()
    .replace(/^\[([^\]]+)\](?::\d+)?$|^([\d.]+):\d+$/, '$1$2')
    .replace(/%.*$/, '');
  const family = isIP(text);
  if (family === 4) return { address: text, family: 4 };
  if (family !== 6) return undefined;
  const groups = ipv6Groups(text);
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    const [hi = 0, lo = 0] = groups.slice(6);
    return { address: [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff].join('.'), family: 4 };
  }
  return { address: text, family: 6 };
}

/**
 * The bucket key of a client address: IPv4 (also IPv4-mapped IPv6) as is, IPv6 as its
 * network of `ipv6Subnet` bits (`2001:db8:1:2::10` → `2001:db8:1:0:0:0:0:0/56`). Anything
 * unparseable shares the one key `unknown`, which fails closed rather than open.
 */
export function ipKey(address: string | undefined, ipv6Subnet = 56): string {
  const ip = parseIp(address ?? '');
  if (!ip) return 'unknown';
  if (ip.family === 4) return ip.address;
  const masked = ipv6Groups(ip.address).map((group, i) => {
    const keep = Math.min(16, Math.max(0, ipv6Subnet - 16 * i));
    return (group & (0xffff << (16 - keep)) & 0xffff).toString(16);
  });
  return `${masked.join(':')}/${ipv6Subnet}`;
}

function trustList(entries: string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address = '', bits, ...rest] = entry.trim().split('/');
    const family = isIP(address);
    const prefix = Number(bits);
    const valid = bits === undefined || (/^\d+$/.test(bits) && prefix <= (family === 4 ? 32 : 128));
    if (!family || !valid || rest.length > 0)
      throw invalid(`Invalid trusted proxy "${entry}": not an IP or CIDR`);
    if (bits === undefined) list.addAddress(address, familyName(family));
    else list.addSubnet(address, prefix, familyName(family));
  }
  return list;
}

const trusts = (list: BlockList, ip: Ip) => list.check(ip.address, familyName(ip.family));

/**
 * A predicate telling whether an address (as a socket reports it) is one of `entries`
 * (`TRUSTED_PROXIES`: addresses or CIDR ranges). Throws `INVALID_CONFIG` for a bad entry.
 */
export function trustedAddresses(entries: string[]): (address: string | undefined) => boolean {
  if (entries.length === 0) return () => false;
  const list = trustList(entries);
  return (address) => {
    const ip = parseIp(address ?? '');
    return ip !== undefined && trusts(list, ip);
  };
}

/** The socket peer of a request; undefined outside @hono/node-server (app.request() without env). */
function peerOf(c: Context): Ip | undefined {
  const node = (c.env?.server ?? c.env)?.incoming !== undefined;
  return parseIp((node && getConnInfo(c).remote.address) || '');
}

/**
 * The client's address: the socket peer, unless the peer is a trusted proxy; then the
 * right-most `X-Forwarded-For` hop that is not itself trusted (every hop right of it was
 * appended by a proxy we trust; everything left of it is the client's word).
 */
function clientAddress(c: Context, trusted: BlockList | undefined): string | undefined {
  const peer = peerOf(c);
  if (!peer || !trusted || !trusts(trusted, peer)) return peer?.address;
  const hops = (c.req.header('X-Forwarded-For') ?? '').split(',');
  let nearest = peer;
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = parseIp(hops[i] ?? '');
    if (!hop) break; // garbled by our own proxy: the last hop we trust is the best we know
    nearest = hop;
    if (!trusts(trusted, hop)) break;
  }
  return nearest.address;
}

/** How the server tells who a client is and how it connected. */
export interface ClientAddressing {
  /** The client's address (see the module notes); undefined when there is no socket. */
  addressOf(c: Context): string | undefined;
  /** True when an address (as a socket reports it) is a trusted proxy. */
  isTrustedProxy(address: string | undefined): boolean;
  /**
   * True when the request reached the client over TLS: the URL is `https:`, or the socket
   * peer is a trusted proxy that says `X-Forwarded-Proto: https`.
   */
  viaTls(c: Context): boolean;
}

/** Creates the {@link ClientAddressing} for `TRUSTED_PROXIES` (addresses or CIDR ranges). Throws `INVALID_CONFIG` for a bad entry. */
export function createClientAddressing(trustedProxies: string[]): ClientAddressing {
  const trusted = trustedProxies.length ? trustList(trustedProxies) : undefined;
  const isTrustedProxy = trustedAddresses(trustedProxies);
  return {
    addressOf: (c) => clientAddress(c, trusted),
    isTrustedProxy,
    viaTls(c) {
      if (c.req.url.startsWith('https:')) return true;
      const peer = peerOf(c);
      const proto = c.req.header('X-Forwarded-Proto')?.split(',')[0]?.trim().toLowerCase();
      return proto === 'https' && peer !== undefined && isTrustedProxy(peer.address);
    },
  };
}

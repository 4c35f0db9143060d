/**
 * Which IP addresses an outbound request must never reach: the special-purpose ranges of the
 * IANA IPv4 and IPv6 registries that are not globally reachable (loopback, private, link-local
 * and cloud metadata, CGNAT, multicast, broadcast, reserved, documentation, `0/8`), plus the
 * IPv6 forms that embed an IPv4 address (IPv4-mapped `::ffff:a.b.c.d`, NAT64 `64:ff9b::/96`,
 * 6to4 `2002::/16`), which are judged by the IPv4 address inside them.
 *
 * @module
 */
import { BlockList, isIPv4, isIPv6 } from 'node:net';

interface Range {
  readonly reason: string;
  readonly list: BlockList;
}

function range(family: 'ipv4' | 'ipv6', network: string, prefix: number, reason: string): Range {
  const list = new BlockList();
  list.addSubnet(network, prefix, family);
  return { reason, list };
}

const V4: readonly Range[] = [
  range('ipv4', '255.255.255.255', 32, 'broadcast (255.255.255.255)'),
  range('ipv4', '0.0.0.0', 8, '"this network" (0.0.0.0/8)'),
  range('ipv4', '10.0.0.0', 8, 'private (10.0.0.0/8)'),
  range('ipv4', '100.64.0.0', 10, 'carrier-grade NAT (100.64.0.0/10)'),
  range('ipv4', '127.0.0.0', 8, 'loopback (127.0.0.0/8)'),
  range('ipv4', '169.254.0.0', 16, 'link-local (169.254.0.0/16, incl. cloud metadata 169.254.169.254)'),
  range('ipv4', '172.16.0.0', 12, 'private (172.16.0.0/12)'),
  range('ipv4', '192.0.0.0', 24, 'reserved (IETF protocol assignments 192.0.0.0/24)'),
  range('ipv4', '192.0.2.0', 24, 'documentation (192.0.2.0/24)'),
  range('ipv4', '192.88.99.0', 24, 'reserved (6to4 relay anycast 192.88.99.0/24)'),
  range('ipv4', '192.168.0.0', 16, 'private (192.168.0.0/16)'),
  range('ipv4', '198.18.0.0', 15, 'reserved (benchmarking 198.18.0.0/15)'),
  range('ipv4', '198.51.100.0', 24, 'documentation (198.51.100.0/24)'),
  range('ipv4', '203.0.113.0', 24, 'documentation (203.0.113.0/24)'),
  range('ipv4', '224.0.0.0', 4, 'multicast (224.0.0.0/4)'),
  range('ipv4', '240.0.0.0', 4, 'reserved (240.0.0.0/4)'),
];

const V6: readonly Range[] = [
  range('ipv6', '::', 128, 'unspecified (::)'),
  range('ipv6', '::1', 128, 'loopback (::1)'),
  range('ipv6', '::', 96, 'IPv4-compatible, deprecated (::/96)'),
  range('ipv6', '::ffff:0:0:0', 96, 'IPv4-translated (::ffff:0:0:0/96)'),
  range('ipv6', '64:ff9b:1::', 48, 'local-use NAT64 (64:ff9b:1::/48)'),
  range('ipv6', '100::', 64, 'discard-only (100::/64)'),
  range('ipv6', '2001::', 32, 'Teredo tunnel (2001::/32)'),
  range('ipv6', '2001:10::', 28, 'reserved (ORCHID 2001:10::/28)'),
  range('ipv6', '2001:20::', 28, 'reserved (ORCHIDv2 2001:20::/28)'),
  range('ipv6', '2001::', 23, 'reserved (IETF protocol assignments 2001::/23)'),
  range('ipv6', '2620:4f:8000::', 48, 'reserved (AS112 2620:4f:8000::/48)'),
  range('ipv6', '2001:db8::', 32, 'documentation (2001:db8::/32)'),
  range('ipv6', '3fff::', 20, 'documentation (3fff::/20)'),
  range('ipv6', 'fc00::', 7, 'unique local (fc00::/7)'),
  range('ipv6', 'fe80::', 10, 'link-local (fe80::/10)'),
  range('ipv6', 'fec0::', 10, 'site-local, deprecated (fec0::/10)'),
  range('ipv6', 'ff00::', 8, 'multicast (ff00::/8)'),
];

/** The 8 16-bit groups of a valid IPv6 address (a trailing dotted IPv4 counts as two). */
export function ipv6Groups(ip: string): number[] {
  let text = ip.toLowerCase();
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  const tail: number[] = [];
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.', lastColon)) {
    const [a = 0, b = 0, c = 0, d = 0] = text
      .slice(lastColon + 1)
      .split('.')
      .map(Number);
    tail.push((a << 8) | b, (c << 8) | d);
    // Keep a '::' before the IPv4 part ('::ffff:1.2.3.4' → '::ffff'; '::1.2.3.4' → '::').
    text = text.slice(0, lastColon + 1);
    if (!text.endsWith('::')) text = text.slice(0, -1);
  }
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((g) => Number.parseInt(g, 16)));
  const [head = '', rest] = text.split('::');
  const left = parse(head);
  const right = rest === undefined ? [] : parse(rest);
  const fill = 8 - tail.length - left.length - right.length;
  return [...left, ...Array<number>(rest === undefined ? 0 : fill).fill(0), ...right, ...tail];
}

function v4FromGroups(hi: number, lo: number): string {
  return `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
}

/**
 * The IPv4 address an IPv6 address carries in a form that routes to it (IPv4-mapped
 * `::ffff:0:0/96`, NAT64 `64:ff9b::/96`, 6to4 `2002::/16`), with the form's name.
 */
export function embeddedIpv4(ip: string): { ipv4: string; form: string } | undefined {
  if (!isIPv6(ip)) return undefined;
  const g = ipv6Groups(ip);
  const zeros = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  if (zeros(0, 5) && g[5] === 0xffff) return { ipv4: v4FromGroups(g[6]!, g[7]!), form: 'IPv4-mapped' };
  if (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6)) {
    return { ipv4: v4FromGroups(g[6]!, g[7]!), form: 'NAT64' };
  }
  if (g[0] === 0x2002) return { ipv4: v4FromGroups(g[1]!, g[2]!), form: '6to4' };
  return undefined;
}

/**
 * Why `ip` must not be reached, or `undefined` when it is a globally reachable unicast
 * address. Anything that is not a plain IPv4 or IPv6 address is refused too.
 *
 * @example
 * ```ts
 * forbiddenReason('169.254.169.254'); // 'link-local (169.254.0.0/16, incl. cloud metadata 169.254.169.254)'
 * forbiddenReason('::ffff:7f00:1');   // 'loopback (127.0.0.0/8): 127.0.0.1 in IPv4-mapped form'
 * forbiddenReason('93.184.215.14');   // undefined
 * ```
 */
export function forbiddenReason(ip: string): string | undefined {
  if (isIPv4(ip)) return V4.find((r) => r.list.check(ip, 'ipv4'))?.reason;
  if (!isIPv6(ip)) return 'not an IP address';
  const embedded = embeddedIpv4(ip);
  if (embedded) {
    const inner = forbiddenReason(embedded.ipv4);
    return inner && `${inner}: ${embedded.ipv4} in ${embedded.form} form`;
  }
  return V6.find((r) => r.list.check(ip, 'ipv6'))?.reason;
}

/**
 * Whether an outbound request must not connect to `ip` (see {@link forbiddenReason}).
 * Pure: no DNS, no allow-list; the SSRF guard applies the operator's allow-list first.
 */
export function isForbiddenAddress(ip: string): boolean {
  return forbiddenReason(ip) !== undefined;
}

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { forbiddenReason, isForbiddenAddress } from './address.js';

// An independent reference: the IANA special-purpose tables as bigint prefixes, matched by
// shifting, with its own parser. The implementation uses node:net BlockList instead.
const REF_V4: ReadonlyArray<[string, number]> = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4], // includes 255.255.255.255
];
const REF_V6: ReadonlyArray<[string, number]> = [
  ['::', 96],
  ['::ffff:0:0:0', 96], // IPv4-translated (ipaddr.js rfc6145)
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001::', 23], // IETF protocol assignments (ipaddr.js reserved), incl. Teredo 2001::/32
  ['2620:4f:8000::', 48], // AS112
  ['2001:10::', 28],
  ['2001:20::', 28],
  ['2001:db8::', 32],
  ['3fff::', 20],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
];

function v4Big(ip: string): bigint {
  return ip.split('.').reduce((acc, octet) => (acc << 8n) | BigInt(Number(octet)), 0n);
}

function v6Big(ip: string): bigint {
  let text = ip.toLowerCase();
  let tail: string[] = [];
  const dotted = /:(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1]) {
    const v4 = v4Big(dotted[1]);
    tail = [(v4 >> 16n).toString(16), (v4 & 0xffffn).toString(16)];
    text = text.slice(0, dotted.index + 1);
    if (!text.endsWith('::')) text = text.slice(0, -1);
  }
  const halves = text.split('::');
  const left = halves[0] ? halves[0].split(':') : [];
  const right = halves.length > 1 && halves[1] ? halves[1].split(':') : [];
  const gap = halves.length > 1 ? 8 - left.length - right.length - tail.length : 0;
  const groups = [...left, ...Array<string>(gap).fill('0'), ...right, ...tail];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(Number.parseInt(g, 16)), 0n);
}

const within = (x: bigint, bits: number, base: bigint, prefix: number) =>
  x >> BigInt(bits - prefix) === base >> BigInt(bits - prefix);

function refV4(x: bigint): boolean {
  return REF_V4.some(([net, prefix]) => within(x, 32, v4Big(net), prefix));
}

function reference(ip: string): boolean {
  if (!ip.includes(':')) return refV4(v4Big(ip));
  const x = v6Big(ip);
  const low32 = x & 0xffff_ffffn;
  if (within(x, 128, v6Big('::ffff:0:0'), 96)) return refV4(low32);
  if (within(x, 128, v6Big('64:ff9b::'), 96)) return refV4(low32);
  if (within(x, 128, v6Big('2002::'), 16)) return refV4((x >> 80n) & 0xffff_ffffn);
  return REF_V6.some(([net, prefix]) => within(x, 128, v6Big(net), prefix));
}

const v4String = (x: bigint) => [24n, 16n, 8n, 0n].map((s) => String((x >> s) & 0xffn)).join('.');
const v6String = (x: bigint) =>
  Array.from({ length: 8 }, (_, i) => ((x >> BigInt(112 - 16 * i)) & 0xffffn).toString(16)).join(':');
/** The WHATWG URL parser's canonical (compressed) spelling. */
const compressed = (ip: string) => new URL(`http://[${ip}]/`).hostname.slice(1, -1);

/** Addresses near the edges of every range, where an off-by-one in a prefix would show. */
const nearRanges = fc.oneof(
  fc
    .tuple(fc.constantFrom(...REF_V4), fc.bigInt({ min: -2n, max: 2n ** 24n }), fc.boolean())
    .map(([[net, prefix], offset, fromEnd]) => {
      const size = 1n << BigInt(32 - prefix);
      const x = (fromEnd ? v4Big(net) + size - 1n - offset : v4Big(net) + offset) & 0xffff_ffffn;
      return v4String(x < 0n ? x + 2n ** 32n : x);
    }),
  fc
    .tuple(fc.constantFrom(...REF_V6), fc.bigInt({ min: -2n, max: 2n ** 40n }), fc.boolean(), fc.boolean())
    .map(([[net, prefix], offset, fromEnd, compress]) => {
      const size = 1n << BigInt(128 - prefix);
      const mod = 2n ** 128n;
      const x = (((fromEnd ? v6Big(net) + size - 1n - offset : v6Big(net) + offset) % mod) + mod) % mod;
      return compress ? compressed(v6String(x)) : v6String(x);
    }),
);

/** Every IPv4 address (biased to the ranges) in the IPv6 forms that embed one. */
const embedded = fc
  .tuple(
    fc.oneof(
      fc.ipV4(),
      nearRanges.filter((ip) => !ip.includes(':')),
    ),
    fc.constantFrom('mapped', 'nat64', '6to4'),
    fc.boolean(),
  )
  .map(([v4, form, dotted]) => {
    const x = v4Big(v4);
    if (form === 'mapped') return dotted ? `::ffff:${v4}` : compressed(`::ffff:${v4}`);
    if (form === 'nat64') return compressed(`64:ff9b::${v4}`);
    return compressed(v6String((0x2002n << 112n) | (x << 80n) | 1n));
  });

describe('isForbiddenAddress', () => {
  it('refuses loopback, private, link-local, metadata, CGNAT, multicast, broadcast, reserved and documentation', () => {
    const refused = [
      '127.0.0.1',
      '127.255.255.254',
      '10.1.2.3',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '100.127.255.255',
      '224.0.0.1',
      '239.255.255.250',
      '255.255.255.255',
      '240.0.0.1',
      '0.0.0.0',
      '0.1.2.3',
      '192.0.2.1',
      '198.51.100.7',
      '203.0.113.9',
      '198.18.0.1',
      '::1',
      '::',
      'fe80::1',
      'fc00::1',
      'fd12:3456::1',
      'ff02::1',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '::ffff:a9fe:a9fe',
      '64:ff9b::7f00:1',
      '2002:c0a8:101::1',
      '2001:db8::1',
      '::ffff:0:7f00:1', // IPv4-translated, whatever it carries
      '::ffff:0:808:808',
      '2001:2::1', // benchmarking, inside 2001::/23
      '2620:4f:8000::1',
    ];
    expect(refused.filter((ip) => !isForbiddenAddress(ip))).toEqual([]);
  });

  it('lets public unicast addresses through, in every spelling', () => {
    const allowed = ['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '2606:4700::1111', '::ffff:8.8.8.8'];
    allowed.push('64:ff9b::808:808', '2002:808:808::1', '169.253.255.255', '11.0.0.0');
    expect(allowed.filter((ip) => isForbiddenAddress(ip))).toEqual([]);
  });

  it('says why, naming the IPv4 address inside an IPv6 form', () => {
    expect(forbiddenReason('169.254.169.254')).toMatch(/link-local.*metadata/);
    expect(forbiddenReason('::ffff:7f00:1')).toBe('loopback (127.0.0.0/8): 127.0.0.1 in IPv4-mapped form');
    expect(forbiddenReason('not-an-ip')).toBe('not an IP address');
  });

  it('agrees with an independent reference on generated IPv4 and IPv6 addresses (fuzz)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.ipV4(), fc.ipV6(), nearRanges, embedded), (ip) => {
        expect(isForbiddenAddress(ip), ip).toBe(reference(ip));
      }),
      { numRuns: 5000 },
    );
  });
});

import { BlockList, isIP } from 'node:net';
import { ErrorCode, FileForgeError } from '@fileforge/core';
import { embeddedIpv4 } from './address.js';

/** The operator's exceptions to the SSRF guard, parsed once. */
export interface AllowList {
  /** Whether connections to `hostname` are allowed whatever it resolves to. */
  allowsHost(hostname: string): boolean;
  /** Whether `ip` is inside an allowed address or network. */
  allowsAddress(ip: string): boolean;
}

/** Lower-case, without IPv6 brackets or a trailing dot: the form URL host names are compared in. */
export function bareHost(hostname: string): string {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** An IPv4-mapped IPv6 address as the IPv4 address it stands for, so one rule covers both. */
export function canonicalAddress(ip: string): { address: string; family: 'ipv4' | 'ipv6' } {
  const mapped = embeddedIpv4(ip);
  if (mapped?.form === 'IPv4-mapped') return { address: mapped.ipv4, family: 'ipv4' };
  return { address: ip, family: isIP(ip) === 4 ? 'ipv4' : 'ipv6' };
}

const HOST_NAME =
  /^(\*\.)?([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*$/;

function badEntry(entry: string, why: string): FileForgeError {
  return new FileForgeError(
    ErrorCode.INVALID_CONFIG,
    `[fileforge:http] Invalid allowed host "${entry}" (WEBHOOK_ALLOWED_HOSTS / allowedHosts): ${why}`,
    { details: { entry } },
  );
}

/**
 * Parses allow-list entries: host names (`localhost`, `hooks.internal`, `*.corp.example` for
 * every subdomain), IP addresses (`::1`, `[::1]`) and CIDR networks (`127.0.0.0/8`, `fd00::/8`).
 * A malformed entry throws `INVALID_CONFIG` at once, naming it.
 */
export function parseAllowList(entries: readonly string[]): AllowList {
  const names = new Set<string>();
  const suffixes: string[] = [];
  const networks = new BlockList();
  for (const raw of entries) {
    const entry = raw.trim();
    if (entry === '') continue;
    const [base = '', prefixText, extra] = entry.split('/');
    if (extra !== undefined) throw badEntry(entry, 'expected one "/" at most');
    const host = bareHost(base);
    const family = isIP(host);
    if (prefixText !== undefined) {
      const prefix = Number(prefixText);
      const max = family === 4 ? 32 : 128;
      if (family === 0) throw badEntry(entry, 'a CIDR network needs an IP address before "/"');
      if (!/^\d+$/.test(prefixText) || prefix > max) throw badEntry(entry, `prefix must be 0-${max}`);
      networks.addSubnet(host, prefix, family === 4 ? 'ipv4' : 'ipv6');
    } else if (family !== 0) {
      const { address, family: fam } = canonicalAddress(host);
      networks.addAddress(address, fam);
    } else if (HOST_NAME.test(host)) {
      if (host.startsWith('*.')) suffixes.push(host.slice(1));
      else names.add(host);
    } else {
      throw badEntry(entry, 'expected a host name, an IP address or a CIDR network such as 10.0.0.0/8');
    }
  }
  return {
    allowsHost(hostname) {
      const host = bareHost(hostname);
      return names.has(host) || suffixes.some((suffix) => host.endsWith(suffix));
    },
    allowsAddress(ip) {
      if (isIP(ip) === 0) return false;
      const { address, family } = canonicalAddress(ip);
      return networks.check(address, family);
    },
  };
}

/**
 * The SSRF guard: which URLs and addresses an outbound request may reach.
 *
 * How this works: a URL is checked when it is given (scheme; an IP-literal host such as
 * `http://0x7f.0.0.1/`, which the WHATWG parser has already normalised to `127.0.0.1`), and
 * again when each connection opens: {@link SsrfGuard.connectLookup} is the `lookup` of the
 * HTTP client's sockets, so every address a host name resolves to is checked at the moment it
 * is used. A name that resolved to a public address at subscription time and to `127.0.0.1`
 * now (DNS rebinding) is refused. A custom `lookup` is never called for IP literals, so the
 * client checks those itself before connecting.
 *
 * @module
 */
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { ErrorCode, FileForgeError } from '@fileforge/core';
import { forbiddenReason } from './address.js';
import { bareHost, parseAllowList } from './allow-list.js';

/** Resolves a host name to all its addresses (as `dns.lookup(name, { all: true })`). */
export type ResolveHost = (hostname: string) => Promise<readonly LookupAddress[]>;

/** Options of {@link createSsrfGuard}. */
export interface SsrfGuardOptions {
  /**
   * Hosts and networks reachable even though they are loopback, private or otherwise refused:
   * host names (`localhost`, `*.corp.example`), IP addresses (`::1`) and CIDR networks
   * (`127.0.0.0/8`). A string is split on commas, as `WEBHOOK_ALLOWED_HOSTS`. Each entry opens
   * a hole in the guard: allow only what you run yourself.
   * @default [] (nothing beyond the public internet)
   */
  allowedHosts?: readonly string[] | string;
  /**
   * Refuse `http:` URLs, so every request is encrypted and the remote authenticated
   * (`WEBHOOK_REQUIRE_HTTPS=true`). Off by default so local receivers work without TLS.
   * @default false
   */
  requireHttps?: boolean;
  /**
   * Resolves host names. Tests inject one to simulate DNS answers (rebinding, a metadata
   * address); production uses the system resolver.
   * @default `dns.lookup(name, { all: true, verbatim: true })`
   */
  resolve?: ResolveHost;
}

/** A configured SSRF guard; share one per process (it is stateless). */
export interface SsrfGuard {
  /** Whether `http:` URLs are refused. */
  readonly requireHttps: boolean;
  /**
   * Parses `url` and refuses (`WEBHOOK_URL_FORBIDDEN`) a scheme other than http(s) (https only
   * when required) or an IP-literal host that is not allowed. Host names are not resolved.
   */
  checkUrl(url: string | URL): URL;
  /** Throws `WEBHOOK_URL_FORBIDDEN` unless `address` may be reached for `hostname`. */
  checkAddress(hostname: string, address: string): void;
  /** Resolves `hostname` and checks every address; refuses if any one is forbidden. */
  resolve(hostname: string): Promise<LookupAddress[]>;
  /** A `net.connect` `lookup` that applies {@link SsrfGuard.resolve} to every connection. */
  readonly connectLookup: LookupFunction;
}

const systemResolve: ResolveHost = (hostname) =>
  new Promise((resolve, reject) => {
    dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) =>
      error ? reject(error) : resolve(addresses),
    );
  });

function forbidden(host: string, why: string, details: Record<string, unknown> = {}): FileForgeError {
  return new FileForgeError(
    ErrorCode.WEBHOOK_URL_FORBIDDEN,
    `[fileforge:ssrf] Refusing to connect to "${host}": ${why}. If this host is yours and trusted, ` +
      'add it to WEBHOOK_ALLOWED_HOSTS (the allowedHosts option).',
    { details: { host, reason: why, ...details } },
  );
}

function wantedFamily(family: LookupOptions['family']): 0 | 4 | 6 {
  if (family === 4 || family === 'IPv4') return 4;
  if (family === 6 || family === 'IPv6') return 6;
  return 0;
}

/**
 * Creates the guard that every outbound request whose URL a user supplies goes through
 * (webhook endpoints, connector base URLs, URL import).
 *
 * @example
 * ```ts
 * const guard = createSsrfGuard({ allowedHosts: 'localhost,127.0.0.0/8,::1', requireHttps: false });
 * guard.checkUrl('http://169.254.169.254/latest/meta-data'); // throws WEBHOOK_URL_FORBIDDEN
 * ```
 */
export function createSsrfGuard(options: SsrfGuardOptions = {}): SsrfGuard {
  const entries =
    typeof options.allowedHosts === 'string' ? options.allowedHosts.split(',') : (options.allowedHosts ?? []);
  const allow = parseAllowList(entries);
  const requireHttps = options.requireHttps ?? false;
  const resolveHost = options.resolve ?? systemResolve;

  const checkAddress = (hostname: string, address: string): void => {
    const host = bareHost(hostname);
    if (allow.allowsHost(host) || allow.allowsAddress(address)) return;
    const reason = forbiddenReason(address);
    if (reason === undefined) return;
    const why =
      host === address ? `${address} is ${reason}` : `it resolves to ${address}, which is ${reason}`;
    throw forbidden(host, why, { address });
  };

  const resolve = async (hostname: string): Promise<LookupAddress[]> => {
    const host = bareHost(hostname);
    const family = isIP(host);
    if (family !== 0) {
      checkAddress(host, host);
      return [{ address: host, family }];
    }
    const addresses = [...(await resolveHost(host))];
    if (addresses.length === 0) {
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND', hostname: host });
    }
    for (const { address } of addresses) checkAddress(host, address);
    return addresses;
  };

  const connectLookup: LookupFunction = (hostname, lookupOptions, callback) => {
    resolve(hostname).then(
      (addresses) => {
        const family = wantedFamily(lookupOptions.family);
        const usable = family === 0 ? addresses : addresses.filter((a) => a.family === family);
        const first = usable[0];
        if (first === undefined) {
          const error = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
          callback(error, '', 0);
        } else if (lookupOptions.all) callback(null, usable);
        else callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 0),
    );
  };

  return {
    requireHttps,
    checkAddress,
    resolve,
    connectLookup,
    checkUrl(url) {
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch (cause) {
        throw new FileForgeError(
          ErrorCode.VALIDATION_FAILED,
          `[fileforge:http] Not a valid URL: ${String(url)}`,
          {
            cause,
          },
        );
      }
      if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
        throw forbidden(parsed.hostname || String(url), `the scheme "${parsed.protocol}" is not http(s)`);
      }
      // A secret in the URL would be stored, listed and logged with it: use headers or the
      // endpoint's signing secret instead.
      if (parsed.username !== '' || parsed.password !== '') {
        throw forbidden(parsed.hostname, 'credentials in the URL (user:password@) are not allowed');
      }
      if (requireHttps && parsed.protocol !== 'https:') {
        throw forbidden(
          parsed.hostname,
          'plain http is refused because https is required (WEBHOOK_REQUIRE_HTTPS)',
        );
      }
      const host = bareHost(parsed.hostname);
      if (isIP(host) !== 0) checkAddress(host, host);
      return parsed;
    },
  };
}

/**
 * Checks an outbound URL when it is registered (a webhook subscription, a connector's base
 * URL), so the user gets a clear error at once: scheme, IP literal, and every address its host
 * resolves to now. This is only an early warning; the connection-time check of the HTTP client
 * is the real guard, because DNS may answer differently later.
 *
 * @throws `WEBHOOK_URL_FORBIDDEN` when refused; `VALIDATION_FAILED` when the URL is malformed
 *   or its host does not resolve.
 * @example
 * ```ts
 * const url = await validateOutboundUrl(input.url, guard);
 * ```
 */
export async function validateOutboundUrl(url: string | URL, guard: SsrfGuard): Promise<URL> {
  const parsed = guard.checkUrl(url);
  try {
    await guard.resolve(parsed.hostname);
  } catch (error) {
    if (FileForgeError.is(error)) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new FileForgeError(
      ErrorCode.VALIDATION_FAILED,
      `[fileforge:http] The host "${parsed.hostname}" does not resolve (${code}); check the URL`,
      { cause: error, details: { host: parsed.hostname } },
    );
  }
  return parsed;
}

/**
 * Guard options from the resolved configuration (`WEBHOOK_ALLOWED_HOSTS`,
 * `WEBHOOK_REQUIRE_HTTPS`).
 */
export function ssrfGuardOptionsFromConfig(config: {
  webhookAllowedHosts: readonly string[];
  webhookRequireHttps: boolean;
}): SsrfGuardOptions {
  return { allowedHosts: config.webhookAllowedHosts, requireHttps: config.webhookRequireHttps };
}

/**
 * Concurrent connections per client address.
 *
 * How this works: {@link ConnectionCap.track} sees every socket as the server accepts it and
 * counts the open ones per client address (IPv4 as is, IPv6 by network, with the rate
 * limit's key). A socket over the cap is not counted but marked: its first request is
 * answered 429 `TOO_MANY_CONNECTIONS` with `Retry-After` and `Connection: close` by
 * {@link ConnectionCap.middleware}, and if it sends no request within a short grace it is
 * closed. Reverse proxies in `TRUSTED_PROXIES` are never capped: every client behind one
 * shares its address.
 *
 * @module
 */
import type { Socket } from 'node:net';
import { ErrorCode, FileForgeError } from '@fileforge/core';
import type { MiddlewareHandler } from 'hono';
import { errorResponse } from '../errors/respond.js';
import { ipKey, trustedAddresses } from '../http/client-address.js';
import type { ServerEnv } from '../server-env.js';

/** Options for {@link createConnectionCap}. */
export interface ConnectionCapOptions {
  /** Most open connections per client address (`MAX_CONNECTIONS_PER_CLIENT`); `0` disables the cap. */
  maxPerClient: number;
  /** Peers never capped (`TRUSTED_PROXIES`: addresses or CIDRs). @default [] */
  trustedProxies?: string[];
  /** IPv6 clients are counted per network of this prefix length, as the rate limit does. @default 56 */
  ipv6Subnet?: number;
  /**
   * An over-cap connection that has not sent a request within this is closed; a short grace
   * lets a well-behaved client read why it was refused. @default 2000
   */
  graceMs?: number;
  /** `Retry-After` of the refusal, in seconds. @default 5 */
  retryAfterSeconds?: number;
}

/** What {@link createConnectionCap} returns. */
export interface ConnectionCap {
  /** Counts a newly accepted socket; register it on the server's `'connection'` event. */
  track(socket: Socket): void;
  /** Answers requests on over-cap connections; mount it before anything that does real work. */
  middleware: MiddlewareHandler<ServerEnv>;
  /** Open, counted connections of an address (for tests and diagnostics). */
  openConnections(address: string): number;
}

/**
 * Creates the per-address connection cap.
 *
 * @example
 * ```ts
 * const cap = createConnectionCap({ maxPerClient: 64, trustedProxies: ['10.0.0.1'] });
 * const { app } = await createServer(forge, { ...options, connectionGate: cap.middleware });
 * serve({ fetch: app.fetch, port: 8000 }).on('connection', cap.track);
 * ```
 */
export function createConnectionCap(options: ConnectionCapOptions): ConnectionCap {
  const { maxPerClient } = options;
  const ipv6Subnet = options.ipv6Subnet ?? 56;
  const graceMs = options.graceMs ?? 2000;
  const retryAfter = String(options.retryAfterSeconds ?? 5);
  const trusted = trustedAddresses(options.trustedProxies ?? []);
  const open = new Map<string, number>();
  const refused = new WeakSet<Socket>();

  const track = (socket: Socket) => {
    if (maxPerClient <= 0 || trusted(socket.remoteAddress)) return;
    const key = ipKey(socket.remoteAddress, ipv6Subnet);
    const count = open.get(key) ?? 0;
    if (count >= maxPerClient) {
      refused.add(socket);
      const timer = setTimeout(() => socket.destroy(), graceMs);
      timer.unref();
      socket.once('close', () => clearTimeout(timer));
      return;
    }
    open.set(key, count + 1);
    socket.once('close', () => {
      const left = (open.get(key) ?? 1) - 1;
      if (left > 0) open.set(key, left);
      else open.delete(key);
    });
  };

  const middleware: MiddlewareHandler<ServerEnv> = async (c, next) => {
    const socket = c.env?.incoming?.socket;
    if (!socket || !refused.has(socket)) return next();
    c.env.outgoing.once('finish', () => socket.destroy());
    const error = new FileForgeError(
      ErrorCode.TOO_MANY_CONNECTIONS,
      `Too many open connections from this address (at most ${maxPerClient}); close some and retry`,
      { details: { limit: maxPerClient, retryAfter: Number(retryAfter) } },
    );
    return errorResponse(c, error, { 'Retry-After': retryAfter, Connection: 'close' });
  };

  return { track, middleware, openConnections: (address) => open.get(ipKey(address, ipv6Subnet)) ?? 0 };
}

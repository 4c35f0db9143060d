/**
 * The machine's shared services that scale-out tests need (PostgreSQL, Redis), and how a test
 * file asks for them: reachable → run; unreachable under `CI=true` → fail with a message
 * saying what to start (a suite must never pass by skipping in CI); unreachable elsewhere →
 * skip, saying why once.
 *
 * @module
 */
import { connect } from 'node:net';

/** The PostgreSQL database tests use (trust auth on the machine). */
export const POSTGRES_TEST_URL =
  process.env.FILEFORGE_TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';

/** The Redis tests use. Tests keep apart by key prefix or queue name, never by flushing. */
export const REDIS_TEST_URL = process.env.FILEFORGE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const HOW_TO_START: Record<string, string> = {
  PostgreSQL: 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start',
  Redis:
    'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis',
};

/** Whether something accepts TCP connections at the URL's host and port (within `timeoutMs`). */
export function tcpReachable(url: string, timeoutMs = 1000): Promise<boolean> {
  const { hostname, port, protocol } = new URL(url);
  const fallback = protocol.startsWith('postgres') ? 5432 : protocol.startsWith('redis') ? 6379 : 80;
  return new Promise((resolve) => {
    const socket = connect({
      host: hostname.replace(/^\[|\]$/g, '') || '127.0.0.1',
      port: Number(port) || fallback,
    });
    const done = (up: boolean) => {
      socket.destroy();
      resolve(up);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * Resolves true when the service answers. When it does not: under `CI=true` rejects with what
 * to start; elsewhere warns and resolves false (the caller skips).
 *
 * @example
 * ```ts
 * const postgres = await requireService('PostgreSQL', POSTGRES_TEST_URL);
 * describe.skipIf(!postgres)('catalog on PostgreSQL', () => { … });
 * ```
 */
export async function requireService(name: 'PostgreSQL' | 'Redis', url: string): Promise<boolean> {
  if (await tcpReachable(url)) return true;
  const message = `${name} is not reachable at ${url.replace(/\/\/[^@/]*@/, '//')} (start it: ${HOW_TO_START[name]})`;
  if (process.env.CI === 'true') throw new Error(`${message}; CI must provide it (see .ci/run)`);
  console.warn(`Skipping tests that need ${name}: ${message}`);
  return false;
}

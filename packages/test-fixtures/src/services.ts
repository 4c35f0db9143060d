/**
 * The machine's shared services that scale-out tests need (PostgreSQL, Redis), and how a test
 * file asks for them: reachable → run; unreachable under `CI=true` → fail with a message
 * saying what to start (a suite must never pass by skipping in CI); unreachable elsewhere →
 * skip, saying why once.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
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

/** A schema of the test database that no other test uses, and the URL that selects it. */
export interface PostgresTestSchema {
  /** `ff_<random>`: lower-case, as FileForge's `schema` option wants it. */
  schema: string;
  /** {@link POSTGRES_TEST_URL} with `?schema=<schema>`: what `DATABASE_URL` gets. */
  url: string;
  /** Drops the schema and everything in it (run it after the catalogs using it are closed). */
  drop(): Promise<void>;
}

/**
 * Names a fresh schema for one test (FileForge creates it when it migrates): tests share the
 * machine's PostgreSQL and never touch each other's tables, nor `public`.
 */
export function postgresTestSchema(base = POSTGRES_TEST_URL): PostgresTestSchema {
  const schema = `ff_${randomBytes(8).toString('hex')}`;
  const url = new URL(base);
  url.searchParams.set('schema', schema);
  return {
    schema,
    url: url.toString(),
    async drop() {
      // pg comes with @fileforge/core; loaded only by tests that use PostgreSQL.
      const { default: pg } = await import('pg');
      const client = new pg.Client({ connectionString: base });
      client.on('error', () => {});
      await client.connect();
      try {
        await client.query(`drop schema if exists "${schema}" cascade`);
      } finally {
        await client.end();
      }
    },
  };
}

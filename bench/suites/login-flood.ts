import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Latency, pollLatency, summariseLatency } from '../lib/latency.js';
import { pollPeakRss } from '../lib/rss.js';
import { alternate, type Sample } from '../lib/samples.js';
import { freePort, type RunningServer, serverCli, startServer } from '../lib/server.js';
import type { Suite } from '../lib/suite.js';

/** Wrong logins in flight at once, all from the bench's one address. */
const PARALLEL = 16;
/** How long each side polls /health (the flood runs for the same time). */
const WINDOW_MS = 10_000;
/** Pause between two /health requests. */
const POLL_INTERVAL_MS = 20;
/** Distinct emails the flood spreads over (none exists: the server checks a dummy hash). */
const EMAILS = 64;

/**
 * A realistic cost (the default 12) and the per-account back-off relaxed, so every wrong login
 * really hashes, as in a flood spread over many accounts; the address rate limit is out of the way.
 */
const ENV = {
  ADMIN_EMAIL: 'bench@example.test',
  ADMIN_PASSWORD: 'fileforge-bench-password',
  BCRYPT_ROUNDS: '12',
  JWT_SECRET_KEY: 'fileforge-bench-jwt-secret-'.padEnd(48, 'x'),
  LOGIN_FREE_FAILURES: '1000000',
  RATELIMIT_DEFAULT: '1000000 per minute',
  LOG_LEVEL: 'warn',
};

interface Flood {
  /** Logins answered 401 (the password was really checked). */
  checked: number;
  /** Logins refused with 503 BUSY (the hashing bound was full). */
  busy: number;
}

/** Sends wrong logins, `PARALLEL` at a time, until `signal` aborts. */
async function flood(url: string, signal: AbortSignal): Promise<Flood> {
  const counts: Flood = { checked: 0, busy: 0 };
  let n = 0;
  await Promise.all(
    Array.from({ length: PARALLEL }, async () => {
      while (!signal.aborted) {
        const email = `nobody-${n++ % EMAILS}@example.test`;
        const res = await fetch(`${url}/api/v1/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email, password: 'not the password' }),
        });
        await res.arrayBuffer();
        if (res.status === 401) counts.checked++;
        else if (res.status === 503) {
          counts.busy++;
          // As a client honouring Retry-After would, a little sooner: keep the bound full.
          await sleep(50);
        } else throw new Error(`POST /api/v1/auth/login answered ${res.status}`);
      }
    }),
  );
  return counts;
}

/** One run: a fresh server, /health polled for the window, with or without the flood. */
async function measure(dataDir: string, withFlood: boolean, log: (line: string) => void): Promise<Sample> {
  await mkdir(dataDir, { recursive: true });
  let server: RunningServer | undefined;
  try {
    server = await startServer([serverCli, 'serve'], { DATA_DIR: dataDir, ...ENV }, await freePort());
    const url = server.url;
    // Warm-up: the first login creates the dummy hash and loads bcrypt.
    await fetch(`${url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'warm@example.test', password: 'not the password' }),
    }).then((res) => res.arrayBuffer());
    const stop = AbortSignal.timeout(WINDOW_MS);
    const started = performance.now();
    const [times, counts] = await Promise.all([
      pollLatency(`${url}/health`, POLL_INTERVAL_MS, stop),
      withFlood ? flood(url, stop) : Promise.resolve({ checked: 0, busy: 0 }),
    ]);
    const ms = performance.now() - started;
    const latency: Latency = summariseLatency(times);
    if (withFlood) log(`    flood: ${counts.checked} wrong logins checked, ${counts.busy} answered 503 BUSY`);
    return {
      bytes: 0,
      files: counts.checked,
      ms,
      latency,
      peakRssBytes: await pollPeakRss(server.pid),
    };
  } finally {
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/**
 * `/health` latency of the built reference server while 16 wrong logins at a time (bcrypt cost
 * 12) hammer it from one address, against the same server with no flood.
 */
export const loginFloodSuite: Suite = {
  name: 'login-flood',
  summary: `GET /health latency under ${PARALLEL} parallel wrong logins (BCRYPT_ROUNDS=12) vs no flood; throughput = logins checked/s`,
  unit: 'logins/s',
  targets: { maxP99Ms: 250 },
  async run(ctx) {
    const { dir, runs, log } = ctx;
    if (!existsSync(serverCli))
      throw new Error('packages/server/dist/cli.js does not exist (npm run build); not run');
    const measured = await alternate(
      runs,
      {
        fileforge: (round) => measure(join(dir, `flood-${round}`), true, log),
        baseline: (round) => measure(join(dir, `quiet-${round}`), false, log),
      },
      log,
      'logins/s',
    );
    return {
      input: {
        label: `${PARALLEL} × wrong login, ${WINDOW_MS / 1000} s`,
        parallel: PARALLEL,
        windowMs: WINDOW_MS,
        bcryptRounds: 12,
        pollIntervalMs: POLL_INTERVAL_MS,
      },
      runs: measured,
    };
  },
};

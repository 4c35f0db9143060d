import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { MiB } from '../lib/disk.js';
import { jobsClient } from '../lib/jobs.js';
import { cpuTimeWithChildrenOf } from '../lib/proc-cpu.js';
import { pollPeakRss, rssOf } from '../lib/rss.js';
import { alternate, type MemoryMarks, type Sample } from '../lib/samples.js';
import { freePort, serverCli, startServer } from '../lib/server.js';
import { makeSoakFiles, type SoakFile } from '../lib/soak-inputs.js';
import type { Suite } from '../lib/suite.js';

/** Every distinct file is processed this many times: uploaded once, then reprocessed. */
const PASSES = 10;
/** How long the server is left alone before an idle reading. */
const IDLE_MS = 30_000;

const ENV = {
  ADMIN_EMAIL: 'bench@example.test',
  ADMIN_PASSWORD: 'fileforge-bench-password',
  BCRYPT_ROUNDS: '4',
  JWT_SECRET_KEY: 'fileforge-bench-jwt-secret-'.padEnd(48, 'x'),
  SECRET_KEY: 'fileforge-bench-secret-key-'.padEnd(48, 'x'),
  RATELIMIT_DEFAULT: '1000000 per minute',
  LOG_LEVEL: 'error',
};

/** The glibc malloc settings `npm start` applies (see packages/server/src/commands/glibc-malloc.ts). */
const NPM_START_MALLOC = { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072' };
/** glibc's defaults: neither setting in the environment. */
const GLIBC_DEFAULT_MALLOC = { MALLOC_ARENA_MAX: undefined, MALLOC_MMAP_THRESHOLD_: undefined };

const rss = (pid: number) => {
  const bytes = rssOf(pid);
  if (bytes === undefined) throw new Error(`[bench:soak] Cannot read /proc/${pid}/status (Linux only)`);
  return bytes;
};

/**
 * One run: a fresh server processes every file `PASSES` times (upload, then reprocess passes,
 * each waited for), with RSS read at 10 %, 50 % and 100 % of the jobs and after `IDLE_MS` of
 * idleness after the first pass and after the last. Throughput counts only the passes.
 */
async function measure(
  dataDir: string,
  files: readonly SoakFile[],
  malloc: Record<string, string | undefined>,
  log: (line: string) => void,
): Promise<Sample> {
  await mkdir(dataDir, { recursive: true });
  const server = await startServer(
    [serverCli, 'serve'],
    { DATA_DIR: dataDir, ...ENV, ...malloc },
    await freePort(),
  );
  try {
    const client = await jobsClient(server.url, ENV.ADMIN_EMAIL, ENV.ADMIN_PASSWORD);
    const startRssBytes = rss(server.pid);
    const marks: Partial<MemoryMarks> = { idleMs: IDLE_MS };
    let busyMs = 0;
    let cpuMs = 0;
    let ids: string[] = [];
    for (let pass = 1; pass <= PASSES; pass++) {
      const started = performance.now();
      const cpuBefore = cpuTimeWithChildrenOf(server.pid) ?? Number.NaN;
      if (pass === 1) ids = await client.upload(files);
      else await client.reprocess(ids);
      const failed = await client.finished(pass * files.length);
      if (failed > 0) throw new Error(`${failed} jobs failed by pass ${pass}; the inputs should all process`);
      const ms = performance.now() - started;
      busyMs += ms;
      cpuMs += (cpuTimeWithChildrenOf(server.pid) ?? Number.NaN) - cpuBefore;
      const now = rss(server.pid);
      log(
        `    pass ${String(pass).padStart(2)}/${PASSES}: ${files.length} jobs in ${(ms / 1000).toFixed(1)} s ` +
          `(${((files.length / ms) * 1000).toFixed(1)} files/s), RSS ${(now / MiB).toFixed(1)} MB`,
      );
      if (pass === 1) {
        marks.at10 = now;
        await sleep(IDLE_MS);
        marks.idleAfter10 = rss(server.pid);
        marks.heapUsedIdleAfter10 = await client.heapUsed();
      }
      if (pass === PASSES / 2) marks.at50 = now;
      if (pass === PASSES) marks.at100 = now;
    }
    await sleep(IDLE_MS);
    marks.idleAfter100 = rss(server.pid);
    marks.heapUsedIdleAfter100 = await client.heapUsed();
    const bytes = files.reduce((sum, f) => sum + f.bytes, 0) * PASSES;
    return {
      bytes,
      files: files.length * PASSES,
      ms: busyMs,
      peakRssBytes: await pollPeakRss(server.pid),
      startRssBytes,
      ...(Number.isFinite(cpuMs) ? { cpuMs } : {}),
      memory: marks as MemoryMarks,
    };
  } finally {
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/**
 * Resident memory of the built reference server over `--jobs` processing jobs of mixed types
 * (images, PDFs, audio, video, zips, text), uploaded once and reprocessed: as `npm start` runs
 * it (`MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=131072`) against the same server under glibc's
 * default malloc settings.
 */
export const soakSuite: Suite = {
  name: 'soak',
  summary: `${PASSES} processing passes over mixed files; RSS at 10/50/100 % and after ${IDLE_MS / 1000} s idle; glibc malloc as npm start tunes it vs glibc's defaults`,
  unit: 'files/s',
  defaultRuns: 1,
  targets: { maxIdleGrowth: 0.2 },
  async run(ctx) {
    const { dir, runs, log, jobs } = ctx;
    if (!existsSync(serverCli))
      throw new Error('packages/server/dist/cli.js does not exist (npm run build); not run');
    const count = Math.max(1, Math.ceil(jobs / PASSES));
    const inputDir = join(dir, 'inputs');
    await mkdir(inputDir, { recursive: true });
    const started = performance.now();
    const files = await makeSoakFiles(inputDir, count);
    const kinds: Record<string, number> = {};
    for (const f of files) kinds[f.kind] = (kinds[f.kind] ?? 0) + 1;
    const totalMiB = files.reduce((sum, f) => sum + f.bytes, 0) / MiB;
    log(
      `  ${count} files (${Object.entries(kinds)
        .map(([k, n]) => `${n} ${k}`)
        .join(
          ', ',
        )}; ${totalMiB.toFixed(1)} MiB) made in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    const measured = await alternate(
      runs,
      {
        fileforge: (round) => measure(join(dir, `npm-start-${round}`), files, NPM_START_MALLOC, log),
        baseline: (round) => measure(join(dir, `glibc-default-${round}`), files, GLIBC_DEFAULT_MALLOC, log),
      },
      log,
      'files/s',
    );
    return {
      input: {
        label: `${count * PASSES} mixed jobs`,
        files: count,
        passes: PASSES,
        kinds,
        totalMiB,
        idleMs: IDLE_MS,
      },
      runs: measured,
    };
  },
};

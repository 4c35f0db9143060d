/**
 * Why `fileforge serve` asks for two glibc malloc settings.
 *
 * glibc's malloc gives threads their own arenas (up to 8 per core) and keeps what they free for
 * reuse; and after a large block is freed it raises its mmap threshold (up to 32 MiB), so later
 * large blocks (decoded pixels, rendered pages) come from those arenas too and stay there.
 * Processing runs on many threads (libuv's pool, libvips, the pdf.js workers), so with the
 * defaults an idle server keeps creeping up towards its busiest moment. Measured over 528 mixed
 * jobs: 15 arenas kept 120 MiB; `MALLOC_ARENA_MAX=2` left one arena of 16 MiB but still +10 %
 * idle RSS; with `MALLOC_MMAP_THRESHOLD_=131072` as well, idle RSS moved by 1 % (149 MiB), at
 * no measurable cost in throughput. glibc reads both before Node starts, so the process cannot
 * set them for itself: `npm start` sets them, and other launchers (systemd, containers) should
 * (docs/operations.md#memory).
 */

/** What {@link mallocTuningHint} reads: the environment and the C library Node runs on. */
export interface AllocatorFacts {
  env: NodeJS.ProcessEnv;
  /** glibc's version when the process runs on glibc (`process.report` header), else undefined. */
  glibcVersion: string | undefined;
}

/** The settings `npm start` applies, each with the glibc tunable that can stand in for it. */
export const MALLOC_SETTINGS = [
  { variable: 'MALLOC_ARENA_MAX', value: '2', tunable: 'glibc.malloc.arena_max' },
  { variable: 'MALLOC_MMAP_THRESHOLD_', value: '131072', tunable: 'glibc.malloc.mmap_threshold' },
] as const;

/** The facts of this process. */
export function allocatorFacts(): AllocatorFacts {
  const header = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)
    ?.header;
  return { env: process.env, glibcVersion: header?.glibcVersionRuntime };
}

/**
 * A warning to log at start-up when the process runs on glibc without the settings of
 * {@link MALLOC_SETTINGS} (neither the variable nor its tunable in `GLIBC_TUNABLES`), naming the
 * missing ones; undefined when nothing is missing or the C library is not glibc.
 */
export function mallocTuningHint({ env, glibcVersion }: AllocatorFacts): string | undefined {
  if (!glibcVersion) return undefined;
  const missing = MALLOC_SETTINGS.filter(
    (s) => !env[s.variable] && !env.GLIBC_TUNABLES?.includes(s.tunable),
  ).map((s) => `${s.variable}=${s.value}`);
  if (missing.length === 0) return undefined;
  return (
    `[fileforge] glibc malloc is not tuned (${missing.join(' ')} missing): memory freed by processing ` +
    `threads stays with the process, so an idle server keeps growing towards its busiest moment. ` +
    `Start it with ${missing.join(' ')} in the environment (npm start does; see docs/operations.md#memory)`
  );
}

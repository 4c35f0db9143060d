import { MiB } from './disk.js';
import type { Latency } from './latency.js';

/** The two sides every suite compares. */
export type Subject = 'fileforge' | 'baseline';
export const SUBJECTS: readonly Subject[] = ['fileforge', 'baseline'];

/**
 * What a suite's throughput counts: MiB of input a second, images a second (a suite
 * over many files), logins checked a second (`login-flood`), processing jobs a second (`soak`),
 * workflow steps a second (`workflows`), webhook deliveries a second (`webhooks`) or uploads
 * acknowledged a second (`http-load`).
 */
export type Unit = 'MB/s' | 'images/s' | 'logins/s' | 'files/s' | 'steps/s' | 'deliveries/s' | 'uploads/s';

/**
 * Resident memory of a server over a long run (`soak`), in bytes: while it works at 10 %,
 * 50 % and 100 % of the jobs, and once it has been idle after the first 10 % and after all of
 * them, with the V8 heap in use at those idle points (RSS far above the heap that stays flat is
 * native memory: libvips, worker threads, the allocator).
 */
export interface MemoryMarks {
  at10: number;
  at50: number;
  at100: number;
  idleAfter10: number;
  idleAfter100: number;
  heapUsedIdleAfter10?: number;
  heapUsedIdleAfter100?: number;
  /** How long the server was left idle before each idle reading, in ms. */
  idleMs: number;
}

/** Idle RSS after all the jobs over idle RSS after the first 10 %, minus 1 (0.2 = 20 % more). */
export const idleGrowth = (m: MemoryMarks) => m.idleAfter100 / m.idleAfter10 - 1;

/** One timed run of one subject. */
export interface Sample {
  bytes: number;
  /** Items the run went through (images, logins); set by suites whose unit is not `MB/s`. */
  files?: number;
  /** Latency of the requests a latency suite timed during the run (`login-flood`: `/health`). */
  latency?: Latency;
  ms: number;
  /** Peak RSS of the measured process over its whole life. */
  peakRssBytes: number;
  /** RSS once started, before the timed work (Node, imports, catalog…), where known. */
  startRssBytes?: number;
  /**
   * CPU time (user + system, every thread) the measured process spent on the timed work,
   * where known (`soak`: with the tools it ran, ffmpeg and pdftoppm). Other load on the machine
   * stretches `ms` but barely moves this.
   */
  cpuMs?: number;
  /** Memory over a long run (`soak`). */
  memory?: MemoryMarks;
}

/** Every run of one subject; `error` is set when a run failed (later runs are then skipped). */
export interface SubjectRuns {
  samples: Sample[];
  error?: string;
}

/**
 * What a suite measured: FileForge and its baseline, plus any subjects reported for
 * information only (no ratio, no target), such as the thumbnails suite's full processing.
 */
export type SuiteRuns = Record<Subject, SubjectRuns> & { extra?: Record<string, SubjectRuns> };

/** How the summary picks from the runs; printed in the table header. */
export const METHOD = 'throughput = best of runs, peak RSS = worst of runs';

/** A sample's throughput in `unit`. */
export function throughput(sample: Sample, unit: Unit): number {
  const amount = unit === 'MB/s' ? sample.bytes / MiB : (sample.files ?? Number.NaN);
  return amount / (sample.ms / 1000);
}

/** Best throughput and worst peak RSS across the runs, or undefined when none succeeded. */
export function summarise(
  runs: SubjectRuns,
  unit: Unit,
): { throughput: number; peakRssBytes: number } | undefined {
  if (runs.samples.length === 0) return undefined;
  return {
    throughput: Math.max(...runs.samples.map((s) => throughput(s, unit))),
    peakRssBytes: Math.max(...runs.samples.map((s) => s.peakRssBytes)),
  };
}

/** CPU time per item when the sample counts files (images, jobs), else in total. */
function cpuText(sample: Sample, unit: Unit): string {
  const cpuMs = sample.cpuMs ?? 0;
  const item = unit === 'files/s' ? 'job' : unit === 'deliveries/s' ? 'delivery' : 'image';
  return sample.files ? `${(cpuMs / sample.files).toFixed(1)} ms/${item}` : `${(cpuMs / 1000).toFixed(2)} s`;
}

/** `/health p50 3.1 ms, p99 12.0 ms (max 15.2 ms, 480 requests)`. */
function latencyText(l: Latency): string {
  return `p50 ${l.p50Ms.toFixed(1)} ms, p99 ${l.p99Ms.toFixed(1)} ms (max ${l.maxMs.toFixed(1)} ms, ${l.count} requests)`;
}

const mib = (bytes: number | undefined) => (bytes === undefined ? 'n/a' : (bytes / MiB).toFixed(1));

/** `RSS 10 % 250.1 → idle 180.2 (heap 24.1), 50 % …, 100 % … → idle … MB: +3.1 % idle`. */
function memoryText(m: MemoryMarks): string {
  const growth = idleGrowth(m) * 100;
  return (
    `RSS at 10 % ${mib(m.at10)} MB, idle ${mib(m.idleAfter10)} MB (heap used ${mib(m.heapUsedIdleAfter10)}); ` +
    `at 50 % ${mib(m.at50)}; at 100 % ${mib(m.at100)}, idle ${mib(m.idleAfter100)} MB ` +
    `(heap used ${mib(m.heapUsedIdleAfter100)}): idle ${growth >= 0 ? '+' : ''}${growth.toFixed(1)} % ` +
    `after ${m.idleMs / 1000} s idle`
  );
}

/**
 * Runs each subject `runs` times, rotating the order each round so no side always gets the
 * cooler machine (with two subjects, the one that goes first swaps every round). A subject
 * that fails is not run again.
 */
export async function alternate<Name extends string>(
  runs: number,
  measure: Record<Name, (round: number) => Promise<Sample>>,
  log: (line: string) => void,
  unit: Unit = 'MB/s',
): Promise<Record<Name, SubjectRuns>> {
  const names = Object.keys(measure) as Name[];
  const result = {} as Record<Name, SubjectRuns>;
  for (const name of names) result[name] = { samples: [] };
  const width = Math.max(...names.map((name) => name.length));
  for (let round = 0; round < runs; round++) {
    const shift = round % names.length;
    const order = [...names.slice(shift), ...names.slice(0, shift)];
    for (const subject of order) {
      const runsOf = result[subject];
      if (runsOf.error) continue;
      try {
        const sample = await measure[subject](round);
        runsOf.samples.push(sample);
        log(
          `  run ${round + 1}/${runs} ${subject.padEnd(width)} ` +
            `${throughput(sample, unit).toFixed(1).padStart(7)} ${unit}  ` +
            `peak RSS ${(sample.peakRssBytes / MiB).toFixed(1)} MB` +
            (sample.startRssBytes === undefined
              ? ''
              : ` (${(sample.startRssBytes / MiB).toFixed(1)} MB before the timed work)`) +
            (sample.cpuMs === undefined ? '' : `, CPU ${cpuText(sample, unit)}`) +
            (sample.latency === undefined ? '' : `, ${latencyText(sample.latency)}`) +
            (sample.memory === undefined ? '' : `\n    ${memoryText(sample.memory)}`),
        );
      } catch (error) {
        runsOf.error = error instanceof Error ? error.message : String(error);
        log(`  run ${round + 1}/${runs} ${subject.padEnd(width)} FAILED: ${runsOf.error}`);
      }
    }
  }
  return result;
}

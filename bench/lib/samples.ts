import { MiB } from './disk.js';

/** The two sides every suite compares. */
export type Subject = 'fileforge' | 'baseline';
export const SUBJECTS: readonly Subject[] = ['fileforge', 'baseline'];

/** One timed run of one subject. */
export interface Sample {
  bytes: number;
  ms: number;
  /** Peak RSS of the measured process over its whole life. */
  peakRssBytes: number;
  /** RSS once started, before the timed work (Node, imports, catalog…), where known. */
  startRssBytes?: number;
}

/** Every run of one subject; `error` is set when a run failed (later runs are then skipped). */
export interface SubjectRuns {
  samples: Sample[];
  error?: string;
}

export type SuiteRuns = Record<Subject, SubjectRuns>;

/** How the summary picks from the runs; printed in the table header. */
export const METHOD = 'MB/s = best of runs, peak RSS = worst of runs';

export function mbPerSecond(sample: Sample): number {
  return sample.bytes / MiB / (sample.ms / 1000);
}

/** Best throughput and worst peak RSS across the runs, or undefined when none succeeded. */
export function summarise(runs: SubjectRuns): { mbps: number; peakRssBytes: number } | undefined {
  if (runs.samples.length === 0) return undefined;
  return {
    mbps: Math.max(...runs.samples.map(mbPerSecond)),
    peakRssBytes: Math.max(...runs.samples.map((s) => s.peakRssBytes)),
  };
}

/**
 * Runs each subject `runs` times, alternating which goes first each round so neither side
 * always gets the cooler machine. A subject that fails is not run again.
 */
export async function alternate(
  runs: number,
  measure: Record<Subject, (round: number) => Promise<Sample>>,
  log: (line: string) => void,
): Promise<SuiteRuns> {
  const result: SuiteRuns = { fileforge: { samples: [] }, baseline: { samples: [] } };
  for (let round = 0; round < runs; round++) {
    const order = round % 2 === 0 ? SUBJECTS : [...SUBJECTS].reverse();
    for (const subject of order) {
      const runsOf = result[subject];
      if (runsOf.error) continue;
      try {
        const sample = await measure[subject](round);
        runsOf.samples.push(sample);
        log(
          `  run ${round + 1}/${runs} ${subject.padEnd(9)} ${mbPerSecond(sample).toFixed(1).padStart(7)} MB/s  ` +
            `peak RSS ${(sample.peakRssBytes / MiB).toFixed(1)} MB` +
            (sample.startRssBytes === undefined
              ? ''
              : ` (${(sample.startRssBytes / MiB).toFixed(1)} MB before the timed work)`),
        );
      } catch (error) {
        runsOf.error = error instanceof Error ? error.message : String(error);
        log(`  run ${round + 1}/${runs} ${subject.padEnd(9)} FAILED: ${runsOf.error}`);
      }
    }
  }
  return result;
}

/**
 * The cold figure of a suite that times its subjects warm: children that make `warmup`
 * operations before their timed ones report the first batch's time as `coldMs`, and the suite
 * shows it for information beside the warm figure that the target reads.
 *
 * Why warm: a fresh Node process spends its first thousands of small operations compiling the
 * code that runs them (V8 tiers hot functions up as they run). A baseline of a few lines is hot
 * almost at once, a library's longer paths take thousands of calls; a server pays that once
 * per process, so its steady pace is what a throughput target reads.
 *
 * @module
 */
import { type Sample, type SubjectRuns, throughput, type Unit } from './samples.js';

/** A child's answer when it also timed its first batch. */
export type WarmSample = Sample & { coldMs: number };

/** Keeps the cold samples of `fileforge` and `baseline` while a suite's runs go on. */
export function coldFigures(label: string, unit: Unit) {
  const cold = { fileforge: [] as Sample[], baseline: [] as Sample[] };
  return {
    /** Keeps `sample`'s cold time aside; answers the sample (its warm time) for the suite. */
    keep<S extends WarmSample>(subject: keyof typeof cold, sample: S): S {
      cold[subject].push({ ...sample, ms: sample.coldMs });
      return sample;
    },
    /** Logs the cold ratio and answers the two information-only subjects. */
    extra(log: (line: string) => void): Record<string, SubjectRuns> {
      const best = (samples: Sample[]) => Math.max(...samples.map((s) => throughput(s, unit)));
      if (cold.fileforge.length > 0 && cold.baseline.length > 0) {
        const [f, b] = [best(cold.fileforge), best(cold.baseline)];
        log(
          `  cold (${label} of each process): fileforge ${f.toFixed(1)} vs baseline ${b.toFixed(1)} ${unit}, ratio ${(f / b).toFixed(2)} (information)`,
        );
      }
      return {
        [`fileforge, ${label} (cold)`]: { samples: cold.fileforge },
        [`baseline, ${label} (cold)`]: { samples: cold.baseline },
      };
    },
  };
}

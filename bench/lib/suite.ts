import type { SuiteRuns, Unit } from './samples.js';

/** What FileForge must reach for a suite to pass. */
export interface Targets {
  /** FileForge throughput divided by the baseline's, at least; no ratio target when absent. */
  minRatio?: number;
  /** FileForge peak RSS in MiB, below; no memory target when absent. */
  maxRssMiB?: number;
  /** The worst p99 latency of FileForge's runs, in ms, below (latency suites). */
  maxP99Ms?: number;
  /**
   * FileForge's idle RSS after all the jobs over its idle RSS after the first 10 %, minus 1, at
   * most (`soak`: 0.2 = within 20 %); the worst of its runs counts.
   */
  maxIdleGrowth?: number;
  /**
   * Ratio targets between two of the suite's extra subjects: `subject`'s throughput divided by
   * `baseline`'s, at least `minRatio` (e.g. full image processing against a hand-written
   * single-decode pipeline doing the same work). `baseline: 'baseline'` is the suite's own
   * baseline (e.g. the catalog sorter against the raw rename loop).
   */
  pairs?: readonly PairTarget[];
}

/** One ratio target between two extra subjects; see {@link Targets.pairs}. */
export interface PairTarget {
  subject: string;
  baseline: string;
  minRatio: number;
}

/** The command-line settings a suite is handed, with its own temp dir. */
export interface SuiteContext {
  dir: string;
  /** `--size`: MiB of input, for suites that read one large file. */
  sizeMiB: number;
  /** `--count`: number of files, for suites that go through many. */
  count: number;
  /** `--jobs`: processing jobs, for the `soak` suite. */
  jobs: number;
  runs: number;
  log(line: string): void;
}

/** What a suite ran on, for the table's `input` column and the JSON report. */
export interface InputSummary {
  /** Short label for the table, e.g. `1024 MiB` or `24 × 12 MP JPEG`. */
  label: string;
  /** Everything else worth keeping in the JSON: the size plan, the generated images… */
  [detail: string]: unknown;
}

/** A suite's measurements and the input they were taken on. */
export interface SuiteOutcome {
  input: InputSummary;
  runs: SuiteRuns;
}

/** One benchmark: measures FileForge and a baseline on the same input in the same run. */
export interface Suite {
  name: string;
  /** One line: what is timed on each side. */
  summary: string;
  /** What the throughput counts. @default 'MB/s' */
  unit?: Unit;
  /** Runs per subject when `--runs` is not given (a long suite is its own repetition). @default 3 */
  defaultRuns?: number;
  /** Files when `--count` is not given. @default 24 */
  defaultCount?: number;
  targets: Targets;
  /** Generates its input in `ctx.dir`, then measures. */
  run(ctx: SuiteContext): Promise<SuiteOutcome>;
}

import type { InputFile } from './data.js';
import type { SuiteRuns } from './samples.js';

/** What FileForge must reach for a suite to pass. */
export interface Targets {
  /** FileForge MB/s divided by the baseline's, at least. */
  minRatio: number;
  /** FileForge peak RSS in MiB, below. */
  maxRssMiB: number;
}

/** What a suite is handed: its own temp dir and the generated input in it. */
export interface SuiteContext {
  dir: string;
  input: InputFile;
  runs: number;
  log(line: string): void;
}

/** One benchmark: measures FileForge and a baseline on the same input in the same run. */
export interface Suite {
  name: string;
  /** One line: what is timed on each side. */
  summary: string;
  targets: Targets;
  run(ctx: SuiteContext): Promise<SuiteRuns>;
}

import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './child.js';
import { formatMiB, MiB, type SizePlan } from './disk.js';
import { METHOD, type Subject, type SubjectRuns, type SuiteRuns, summarise } from './samples.js';
import type { Suite, Targets } from './suite.js';

/** Where the results were measured. */
export interface Host {
  node: string;
  cpu: string;
  cores: number;
  platform: string;
}

export function hostInfo(): Host {
  const list = cpus();
  return {
    node: process.version,
    cpu: list[0]?.model.trim() || 'unknown',
    cores: list.length,
    platform: `${process.platform}-${process.arch}`,
  };
}

type SubjectReport = SubjectRuns & { mbps?: number; peakRssMiB?: number };

/** Everything one suite measured, as written to `bench/results/<suite>-<timestamp>.json`. */
export interface SuiteReport {
  suite: string;
  summary: string;
  timestamp: string;
  host: Host;
  size: SizePlan;
  runs: number;
  method: string;
  targets: Targets;
  subjects: Record<Subject, SubjectReport>;
  /** FileForge MB/s ÷ baseline MB/s. */
  ratio?: number;
  /** 'NOT RUN' when FileForge could not be measured; the reasons are in `subjects.*.error`. */
  verdict: 'PASS' | 'MISSED' | 'NOT RUN';
  missed: string[];
}

function subjectReport(runs: SubjectRuns): SubjectReport {
  const best = summarise(runs);
  return best ? { ...runs, mbps: best.mbps, peakRssMiB: best.peakRssBytes / MiB } : runs;
}

/** Summarises a suite's runs and checks them against its targets. */
export function buildReport(
  suite: Suite,
  size: SizePlan,
  runs: number,
  measured: SuiteRuns,
  host: Host,
): SuiteReport {
  const fileforge = subjectReport(measured.fileforge);
  const baseline = subjectReport(measured.baseline);
  const ratio = fileforge.mbps !== undefined && baseline.mbps ? fileforge.mbps / baseline.mbps : undefined;
  const missed: string[] = [];
  if (ratio !== undefined && ratio < suite.targets.minRatio) {
    missed.push(`ratio ${ratio.toFixed(2)} < ${suite.targets.minRatio}`);
  }
  if (fileforge.peakRssMiB !== undefined && fileforge.peakRssMiB >= suite.targets.maxRssMiB) {
    missed.push(`peak RSS ${fileforge.peakRssMiB.toFixed(1)} MB ≥ ${suite.targets.maxRssMiB} MB`);
  }
  if (fileforge.error) missed.push('a FileForge run failed');
  if (baseline.mbps === undefined) missed.push('no baseline measurement, so no ratio');
  const verdict = fileforge.mbps === undefined ? 'NOT RUN' : missed.length > 0 ? 'MISSED' : 'PASS';
  return {
    suite: suite.name,
    summary: suite.summary,
    timestamp: new Date().toISOString(),
    host,
    size,
    runs,
    method: METHOD,
    targets: suite.targets,
    subjects: { fileforge, baseline },
    ...(ratio === undefined ? {} : { ratio }),
    verdict,
    missed,
  };
}

const num = (value: number | undefined, digits = 1) => (value === undefined ? 'n/a' : value.toFixed(digits));

/** The report's two table rows: suite, subject, size, MB/s, ratio, peak RSS MB, target, pass. */
export function tableRows(report: SuiteReport): string[][] {
  const { fileforge, baseline } = report.subjects;
  const size = formatMiB(report.size.bytes);
  const target = `ratio ≥ ${report.targets.minRatio}, RSS < ${report.targets.maxRssMiB} MB`;
  const pass =
    report.verdict === 'MISSED'
      ? `MISSED: ${report.missed.join('; ')}`
      : report.verdict === 'NOT RUN'
        ? 'NOT RUN (see below)'
        : 'PASS';
  return [
    [
      report.suite,
      'fileforge',
      size,
      num(fileforge.mbps),
      num(report.ratio, 2),
      num(fileforge.peakRssMiB),
      target,
      pass,
    ],
    [report.suite, 'baseline', size, num(baseline.mbps), '1.00', num(baseline.peakRssMiB), '—', '—'],
  ];
}

/** Writes the report as JSON under `bench/results/` (ISO 8601 basic timestamp, safe in file names). */
export async function writeReport(report: SuiteReport): Promise<string> {
  const dir = join(repoRoot, 'bench', 'results');
  await mkdir(dir, { recursive: true });
  const stamp = report.timestamp.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const path = join(dir, `${report.suite}-${stamp}.json`);
  await writeFile(path, `${JSON.stringify(report, null, 2)}\n`);
  return path;
}

import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './child.js';
import { MiB } from './disk.js';
import { idleGrowth, METHOD, type Subject, type SubjectRuns, summarise, type Unit } from './samples.js';
import type { InputSummary, Suite, SuiteOutcome, Targets } from './suite.js';

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

type SubjectReport = SubjectRuns & {
  throughput?: number;
  peakRssMiB?: number;
  /** Latency suites: the median p50 and the worst p99 over the runs. */
  p50Ms?: number;
  p99Ms?: number;
  /** Long-run suites: the largest idle RSS growth over the runs (see `idleGrowth`). */
  idleGrowth?: number;
};

/** Everything one suite measured, as written to `bench/results/<suite>-<timestamp>.json`. */
export interface SuiteReport {
  suite: string;
  summary: string;
  timestamp: string;
  host: Host;
  /** The input: `size` (the size plan) for one-file suites, `images` for the thumbnails suite. */
  input: InputSummary;
  runs: number;
  method: string;
  /** What `throughput` counts. */
  unit: Unit;
  targets: Targets;
  subjects: Record<Subject, SubjectReport>;
  /** Subjects measured for information only: no ratio, no target. */
  extra?: Record<string, SubjectReport>;
  /** FileForge throughput ÷ baseline throughput. */
  ratio?: number;
  /** For each `targets.pairs` subject: its throughput ÷ its baseline's. */
  pairRatios?: Record<string, number>;
  /** 'NOT RUN' when FileForge could not be measured; the reasons are in `subjects.*.error`. */
  verdict: 'PASS' | 'MISSED' | 'NOT RUN';
  missed: string[];
}

function subjectReport(runs: SubjectRuns, unit: Unit): SubjectReport {
  const best = summarise(runs, unit);
  const latencies = runs.samples.flatMap((s) => (s.latency ? [s.latency] : []));
  const latency =
    latencies.length > 0
      ? {
          p50Ms: latencies.map((l) => l.p50Ms).sort((a, b) => a - b)[Math.floor((latencies.length - 1) / 2)],
          p99Ms: Math.max(...latencies.map((l) => l.p99Ms)),
        }
      : {};
  const growths = runs.samples.flatMap((s) => (s.memory ? [idleGrowth(s.memory)] : []));
  const memory = growths.length > 0 ? { idleGrowth: Math.max(...growths) } : {};
  return best
    ? { ...runs, throughput: best.throughput, peakRssMiB: best.peakRssBytes / MiB, ...latency, ...memory }
    : runs;
}

/** Summarises a suite's runs and checks them against its targets. */
export function buildReport(suite: Suite, outcome: SuiteOutcome, runs: number, host: Host): SuiteReport {
  const unit = suite.unit ?? 'MB/s';
  const { targets } = suite;
  const fileforge = subjectReport(outcome.runs.fileforge, unit);
  const baseline = subjectReport(outcome.runs.baseline, unit);
  const extra = outcome.runs.extra
    ? Object.fromEntries(
        Object.entries(outcome.runs.extra).map(([name, r]) => [name, subjectReport(r, unit)] as const),
      )
    : undefined;
  const ratio =
    fileforge.throughput !== undefined && baseline.throughput
      ? fileforge.throughput / baseline.throughput
      : undefined;
  const missed: string[] = [];
  if (targets.minRatio !== undefined && ratio !== undefined && ratio < targets.minRatio) {
    missed.push(`ratio ${ratio.toFixed(2)} < ${targets.minRatio}`);
  }
  if (
    targets.maxP99Ms !== undefined &&
    fileforge.p99Ms !== undefined &&
    fileforge.p99Ms >= targets.maxP99Ms
  ) {
    missed.push(`p99 ${fileforge.p99Ms.toFixed(1)} ms ≥ ${targets.maxP99Ms} ms`);
  }
  if (
    targets.maxRssMiB !== undefined &&
    fileforge.peakRssMiB !== undefined &&
    fileforge.peakRssMiB >= targets.maxRssMiB
  ) {
    missed.push(`peak RSS ${fileforge.peakRssMiB.toFixed(1)} MB ≥ ${targets.maxRssMiB} MB`);
  }
  if (
    targets.maxIdleGrowth !== undefined &&
    fileforge.idleGrowth !== undefined &&
    fileforge.idleGrowth > targets.maxIdleGrowth
  ) {
    missed.push(
      `idle RSS +${(fileforge.idleGrowth * 100).toFixed(1)} % > ${(targets.maxIdleGrowth * 100).toFixed(0)} %`,
    );
  }
  const pairRatios: Record<string, number> = {};
  for (const pair of targets.pairs ?? []) {
    const subject = extra?.[pair.subject]?.throughput;
    // `baseline` names the suite's own baseline; any other name, an extra subject.
    const base = pair.baseline === 'baseline' ? baseline.throughput : extra?.[pair.baseline]?.throughput;
    if (subject === undefined || !base) {
      missed.push(`no ${pair.subject} / ${pair.baseline} ratio`);
      continue;
    }
    pairRatios[pair.subject] = subject / base;
    if (subject / base < pair.minRatio) {
      missed.push(`${pair.subject} ratio ${(subject / base).toFixed(2)} < ${pair.minRatio}`);
    }
  }
  if (fileforge.error) missed.push('a FileForge run failed');
  if (targets.minRatio !== undefined && baseline.throughput === undefined)
    missed.push('no baseline measurement, so no ratio');
  if (targets.maxP99Ms !== undefined && fileforge.throughput !== undefined && fileforge.p99Ms === undefined)
    missed.push('no latency measured');
  if (
    targets.maxIdleGrowth !== undefined &&
    fileforge.throughput !== undefined &&
    fileforge.idleGrowth === undefined
  )
    missed.push('no idle memory measured');
  const verdict = fileforge.throughput === undefined ? 'NOT RUN' : missed.length > 0 ? 'MISSED' : 'PASS';
  return {
    suite: suite.name,
    summary: suite.summary,
    timestamp: new Date().toISOString(),
    host,
    input: outcome.input,
    runs,
    method: METHOD,
    unit,
    targets,
    subjects: { fileforge, baseline },
    ...(extra ? { extra } : {}),
    ...(ratio === undefined ? {} : { ratio }),
    ...(Object.keys(pairRatios).length > 0 ? { pairRatios } : {}),
    verdict,
    missed,
  };
}

const num = (value: number | undefined, digits = 1) => (value === undefined ? 'n/a' : value.toFixed(digits));

/** `ratio ≥ 0.9, RSS < 120 MB`, `p99 < 250 ms`: the targets the suite has. */
function targetText(targets: Targets): string {
  return [
    targets.minRatio === undefined ? '' : `ratio ≥ ${targets.minRatio}`,
    targets.maxRssMiB === undefined ? '' : `RSS < ${targets.maxRssMiB} MB`,
    targets.maxP99Ms === undefined ? '' : `p99 < ${targets.maxP99Ms} ms`,
    targets.maxIdleGrowth === undefined ? '' : `idle RSS +≤ ${(targets.maxIdleGrowth * 100).toFixed(0)} %`,
  ]
    .filter(Boolean)
    .join(', ');
}

/** `3.1 / 12.0 ms` (p50 / p99), or `—` for suites that time no requests. */
const latencyCell = (s: SubjectReport) =>
  s.p50Ms === undefined || s.p99Ms === undefined ? '—' : `${num(s.p50Ms)} / ${num(s.p99Ms)} ms`;

/**
 * The report's table rows: suite, subject, input, throughput, ratio, peak RSS MB, latency
 * p50 / p99, target, pass. FileForge and the baseline first, then any information-only subjects.
 */
export function tableRows(report: SuiteReport): string[][] {
  const { fileforge, baseline } = report.subjects;
  const { label } = report.input;
  const rate = (value: number | undefined) => (value === undefined ? 'n/a' : `${num(value)} ${report.unit}`);
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
      label,
      rate(fileforge.throughput),
      num(report.ratio, 2),
      num(fileforge.peakRssMiB),
      latencyCell(fileforge),
      targetText(report.targets),
      pass,
    ],
    [
      report.suite,
      'baseline',
      label,
      rate(baseline.throughput),
      report.ratio === undefined ? 'n/a' : '1.00',
      num(baseline.peakRssMiB),
      latencyCell(baseline),
      '—',
      '—',
    ],
    ...Object.entries(report.extra ?? {}).map(([name, s]) => extraRow(report, name, s, rate)),
  ];
}

/** A row for an extra subject: information only, or one side of a `targets.pairs` ratio. */
function extraRow(
  report: SuiteReport,
  name: string,
  s: SubjectReport,
  rate: (value: number | undefined) => string,
): string[] {
  const pairs = report.targets.pairs ?? [];
  const pair = pairs.find((p) => p.subject === name);
  const isBaseline = pairs.some((p) => p.baseline === name);
  const ratio = report.pairRatios?.[name];
  const cells = [report.suite, name, report.input.label, rate(s.throughput)];
  const failed = s.error ? 'FAILED (see below)' : undefined;
  if (pair) {
    const pass =
      failed ??
      (ratio === undefined ? 'n/a' : ratio >= pair.minRatio ? 'PASS' : `MISSED: ratio ${num(ratio, 2)}`);
    const target = `ratio ≥ ${pair.minRatio} vs ${pair.baseline}`;
    return [...cells, num(ratio, 2), num(s.peakRssMiB), latencyCell(s), target, pass];
  }
  if (isBaseline) return [...cells, '1.00', num(s.peakRssMiB), latencyCell(s), '—', failed ?? '—'];
  return [...cells, '—', num(s.peakRssMiB), latencyCell(s), 'none (information)', failed ?? '—'];
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

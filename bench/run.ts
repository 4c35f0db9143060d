/**
 * FileForge benchmarks. `npm run bench -- [suite...] [--size <MiB>] [--count <n>] [--jobs <n>] [--runs <n>]`;
 * no suite means all. Each suite measures FileForge and a baseline in the same run, prints a table
 * and writes `bench/results/<suite>-<timestamp>.json`. Missed targets are reported, never
 * turned into a failing exit code.
 *
 * This process runs under tsx, but it is not measured: every measured process is plain
 * JavaScript on bare `node` against the built packages, so it first makes sure
 * every `packages/<name>/dist` is current (running `npm run build` when it is not).
 *
 * @module
 */
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureBuilt } from './lib/build.js';
import { repoRoot } from './lib/child.js';
import { buildReport, hostInfo, type SuiteReport, tableRows, writeReport } from './lib/report.js';
import { METHOD, SUBJECTS } from './lib/samples.js';
import type { Suite } from './lib/suite.js';
import { formatTable } from './lib/table.js';
import { classifySuite } from './suites/classify.js';
import { httpSuite } from './suites/http.js';
import { httpLoadSuite } from './suites/http-load.js';
import { ingestSuite } from './suites/ingest.js';
import { loginFloodSuite } from './suites/login-flood.js';
import { resilienceSuite } from './suites/resilience.js';
import { resumableSuite } from './suites/resumable.js';
import { soakSuite } from './suites/soak.js';
import { sortSuite } from './suites/sort.js';
import { thumbnailsSuite } from './suites/thumbnails.js';
import { webhooksSuite } from './suites/webhooks.js';
import { workersSuite } from './suites/workers.js';
import { workflowsSuite } from './suites/workflows.js';

const suites: Record<string, Suite> = {
  ingest: ingestSuite,
  http: httpSuite,
  'http-load': httpLoadSuite,
  thumbnails: thumbnailsSuite,
  'login-flood': loginFloodSuite,
  soak: soakSuite,
  sort: sortSuite,
  classify: classifySuite,
  workflows: workflowsSuite,
  webhooks: webhooksSuite,
  resilience: resilienceSuite,
  resumable: resumableSuite,
  workers: workersSuite,
};

/** Names that select several suites: `http` is one large upload and 200 concurrent ones. */
const groups: Record<string, readonly string[]> = { http: ['http', 'http-load'] };

const USAGE = `Usage: npm run bench -- [${Object.keys(suites).join('|')} ...] [--size <MiB>] [--count <n>] [--jobs <n>] [--runs <n>]
  http runs both http (one large upload) and http-load (200 concurrent uploads)
  --size   ingest, http, resumable: input size in MiB (default 1024; scaled down when the temp dir lacks 3× that)
  --count  thumbnails, workers: number of 12-megapixel JPEGs (default 24, workers 96; scaled down when the temp dir lacks room)
  --jobs   soak: processing jobs per server, a tenth of them distinct files (default 2000)
  --runs   runs per subject, alternating (default 3; soak: 1)
Temp files go to TMPDIR (${tmpdir()}).`;

function fail(message: string): never {
  console.error(`${message}\n\n${USAGE}`);
  process.exit(2);
}

const { values, positionals } = (() => {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        size: { type: 'string' },
        count: { type: 'string' },
        jobs: { type: 'string' },
        runs: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    return fail((error as Error).message);
  }
})();
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const sizeMiB = Number(values.size ?? 1024);
const countGiven = values.count === undefined ? undefined : Number(values.count);
const jobs = Number(values.jobs ?? 2000);
const runsGiven = values.runs === undefined ? undefined : Number(values.runs);
const runs = runsGiven ?? 3;
if (!(sizeMiB > 0)) fail(`--size must be a positive number of MiB, got "${values.size}"`);
if (countGiven !== undefined && (!Number.isInteger(countGiven) || countGiven < 1))
  fail(`--count must be a positive integer, got "${values.count}"`);
if (!Number.isInteger(jobs) || jobs < 1) fail(`--jobs must be a positive integer, got "${values.jobs}"`);
if (!Number.isInteger(runs) || runs < 1) fail(`--runs must be a positive integer, got "${values.runs}"`);
const unknown = positionals.filter((name) => !(name in suites));
if (unknown.length > 0) fail(`Unknown suite: ${unknown.join(', ')}`);
const selected = (
  positionals.length > 0
    ? [...new Set(positionals.flatMap((name) => groups[name] ?? [name]))]
    : Object.keys(suites)
).map((n) => suites[n]!);

const host = hostInfo();
const log = (line: string) => console.log(line);
log(`FileForge bench — Node ${host.node}, ${host.cpu} (${host.cores} cores), ${host.platform}`);
try {
  ensureBuilt(log);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
if (process.env.NODE_OPTIONS)
  log(`  NOTE: NODE_OPTIONS="${process.env.NODE_OPTIONS}" reaches the measured processes`);

// Neither Ctrl-C nor a run that never settles may leave a gigabyte behind in /tmp.
const active = new Set<string>();
const removeActive = () => {
  for (const dir of active) rmSync(dir, { recursive: true, force: true });
};
process.once('exit', removeActive);
process.once('SIGINT', () => process.exit(130));

const reports: SuiteReport[] = [];
const failed: { suite: string; error: string }[] = [];
for (const suite of selected) {
  log(`\n▶ ${suite.name}: ${suite.summary}`);
  const dir = await mkdtemp(join(tmpdir(), `fileforge-bench-${suite.name}-`));
  active.add(dir);
  try {
    const suiteRuns = runsGiven ?? suite.defaultRuns ?? runs;
    const count = countGiven ?? suite.defaultCount ?? 24;
    const outcome = await suite.run({ dir, sizeMiB, count, jobs, runs: suiteRuns, log });
    const report = buildReport(suite, outcome, suiteRuns, host);
    log(`  results: ${relative(repoRoot, await writeReport(report))}`);
    reports.push(report);
  } catch (error) {
    failed.push({ suite: suite.name, error: error instanceof Error ? error.message : String(error) });
    log(`  ERROR: ${failed.at(-1)?.error}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
    active.delete(dir);
  }
}

const runCounts = [...new Set(reports.map((r) => r.runs))];
const runsText =
  runCounts.length > 1 ? reports.map((r) => `${r.suite} ${r.runs}`).join(', ') : String(runCounts[0] ?? runs);
log(`\nNode ${host.node} · ${host.cpu} · MB = MiB · ${METHOD} (${runsText} alternating runs each)\n`);
const rows = [
  ...reports.flatMap(tableRows),
  ...failed.map((f) => [f.suite, '—', '—', 'n/a', 'n/a', 'n/a', '—', '—', 'ERROR (see below)']),
];
log(
  formatTable(
    [
      { header: 'suite' },
      { header: 'subject' },
      { header: 'input', align: 'right' },
      { header: 'throughput', align: 'right' },
      { header: 'ratio', align: 'right' },
      { header: 'peak RSS MB', align: 'right' },
      { header: 'latency p50 / p99', align: 'right' },
      { header: 'target' },
      { header: 'pass' },
    ],
    rows,
  ),
);
const memoryNotes = reports.flatMap((r) =>
  [...SUBJECTS, ...Object.keys(r.extra ?? {})].flatMap((name) => {
    const growth = (r.subjects[name as (typeof SUBJECTS)[number]] ?? r.extra?.[name])?.idleGrowth;
    return growth === undefined
      ? []
      : [
          `${r.suite}/${name}: idle RSS after all jobs ${growth >= 0 ? '+' : ''}${(growth * 100).toFixed(1)} % vs after the first 10 %`,
        ];
  }),
);
if (memoryNotes.length > 0) log(`\n${memoryNotes.join('\n')}`);
const notes = [
  ...reports.flatMap((r) => [
    ...SUBJECTS.flatMap((s) => (r.subjects[s].error ? [`${r.suite}/${s}: ${r.subjects[s].error}`] : [])),
    ...Object.entries(r.extra ?? {}).flatMap(([s, e]) => (e.error ? [`${r.suite}/${s}: ${e.error}`] : [])),
  ]),
  ...failed.map((f) => `${f.suite}: ${f.error}`),
];
if (notes.length > 0) log(`\n${notes.map((n) => `• ${n}`).join('\n')}`);
const missed = reports.filter((r) => r.verdict !== 'PASS').map((r) => `${r.suite} (${r.verdict})`);
missed.push(...failed.map((f) => `${f.suite} (ERROR)`));
log(missed.length > 0 ? `\n*** MISSED: ${missed.join(', ')} ***` : '\nAll targets met.');

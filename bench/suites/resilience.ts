import { childScript, runChild } from '../lib/child.js';
import type { Sample, SubjectRuns } from '../lib/samples.js';
import type { Suite } from '../lib/suite.js';
import { formatTable } from '../lib/table.js';

/** Timed sequential calls per subject and pass (the child makes 3 passes and keeps the fastest). */
const CALLS = 100_000;

interface Measurement {
  scenario: string;
  library: string;
  ns: number;
  heapBytes: number;
}
interface ResilienceSample {
  calls: number;
  ms: number;
  results: Measurement[];
  peakRssBytes: number;
}

const key = (m: Pick<Measurement, 'scenario' | 'library'>) => `${m.library}: ${m.scenario}`;

/**
 * The resilience primitives against cockatiel 3 and opossum 9, all in one child process per run
 * on bare `node` (built `@fileforge/core`): ns and heap bytes per call for a direct
 * `await fn()`, a closed breaker with a successful call, an open breaker's fast reject, retry
 * with 0 retries, and the full composition (fallback ∘ retry ∘ breaker ∘ timeout; opossum has no
 * retry, so breaker + timeout + fallback). The target (issue 11): FileForge's closed-breaker
 * overhead no higher than cockatiel's, i.e. its closed-breaker calls/s (the `steps/s` column:
 * one step = one call) at least cockatiel's.
 */
export const resilienceSuite: Suite = {
  name: 'resilience',
  summary:
    'ns and heap per call: direct await, breaker closed/open, retry(0), full wrap — FileForge vs cockatiel 3 vs opossum 9',
  unit: 'steps/s',
  targets: { minRatio: 1 },
  async run({ runs, log }) {
    const samples: ResilienceSample[] = [];
    for (let round = 0; round < runs; round++) {
      const sample = await runChild<ResilienceSample>(childScript('resilience.mjs'), [String(CALLS)]);
      samples.push(sample);
      log(`  run ${round + 1}/${runs}: ${(sample.ms / 1000).toFixed(1)} s`);
    }
    // best (lowest ns) of the runs for each subject
    const best = new Map<string, Measurement>();
    for (const m of samples.flatMap((s) => s.results)) {
      const prior = best.get(key(m));
      if (!prior || m.ns < prior.ns)
        best.set(key(m), { ...m, heapBytes: Math.min(m.heapBytes, prior?.heapBytes ?? m.heapBytes) });
    }
    const direct = best.get(key({ library: 'fileforge', scenario: 'direct await fn()' }))?.ns ?? 0;
    const rows = [...best.values()].map((m) => [
      m.scenario,
      m.library,
      m.ns.toFixed(0),
      m.scenario.startsWith('direct') ? '—' : (m.ns - direct).toFixed(0),
      m.heapBytes.toFixed(0),
    ]);
    log('');
    for (const line of formatTable(
      [
        { header: 'scenario' },
        { header: 'library' },
        { header: 'ns/call', align: 'right' },
        { header: 'overhead ns', align: 'right' },
        { header: 'heap B/call', align: 'right' },
      ],
      rows,
    ).split('\n'))
      log(`  ${line}`);
    const subject = (library: string, scenario: string): SubjectRuns => ({
      samples: samples.flatMap((s): Sample[] => {
        const m = s.results.find((r) => r.library === library && r.scenario === scenario);
        return m
          ? [{ bytes: 0, files: s.calls, ms: (m.ns * s.calls) / 1e6, peakRssBytes: s.peakRssBytes }]
          : [];
      }),
    });
    const closed = 'breaker closed + success';
    return {
      input: { label: `${CALLS.toLocaleString('en')} calls ×3`, calls: CALLS, results: [...best.values()] },
      runs: {
        fileforge: subject('fileforge', closed),
        baseline: subject('cockatiel', closed),
        extra: {
          'opossum breaker': subject('opossum', closed),
          'fileforge full wrap': subject('fileforge', 'full composition'),
          'cockatiel full wrap': subject('cockatiel', 'full composition'),
        },
      },
    };
  },
};

import { afterEach, describe, expect, it } from 'vitest';
import { runExample, stopExamples } from '../test-support/run-example.js';
import { type FlakyService, startFlakyService } from './flaky-service.js';

let service: FlakyService | undefined;

afterEach(async () => {
  await stopExamples();
  await service?.close();
});

describe('examples/resilient-connector', () => {
  it('answers from the fallback while the service is down, stops calling it while the circuit is open, and recovers', async () => {
    service = await startFlakyService(3);
    // A long break, so the second call surely comes while the circuit is open.
    const run = await runExample('resilient-connector', {
      SLACK_API_URL: service.url,
      CIRCUIT_RESET_MS: '4000',
    });
    expect(run.code, run.stderr).toBe(0);
    const calls = run.stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(calls).toMatchObject([
      { call: 'first', fallback: true, attempts: 3, circuit: 'open', data: { queued: true } },
      { call: 'while open', fallback: true, attempts: 0, circuit: 'open', data: { queued: true } },
      { call: 'after the break', success: true, fallback: false, attempts: 1, circuit: 'closed' },
    ]);
    expect(calls[2]?.data).toMatchObject({ channel: 'C0123456789' });
    expect(run.stdout).toContain('recovered; 2 message(s) were queued by the fallback meanwhile');
    // 3 failed attempts, none while the circuit was open, then the probe.
    expect(service.requests()).toBe(4);
  }, 120_000);
});

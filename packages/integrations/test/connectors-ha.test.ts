import { ErrorCode, FileForgeError } from '@fileforge/core';
import { describe, expect, it } from 'vitest';
import { type ConnectorEvent, createSlackConnector } from '../src/connectors/index.js';
import { createSlackFake, slackFaults } from './fakes/slack.js';
import { manualClock, memoryFile, quickHa, recordingSleep, useFakes } from './support/connectors.js';

const credentials = { botToken: 'xoxb-fileforge-test' };
const message = { channel: 'C0GENERAL01', text: 'hello' };
const fakes = [createSlackFake(), createSlackFake(), createSlackFake()];
// Faults a test injects never outlive it.
const http = useFakes(fakes, {
  beforeEach: () => {
    for (const f of fakes) f.service.clearFaults();
  },
});
const a = () => fakes[0]!;
const b = () => fakes[1]!;
const c = () => fakes[2]!;
/**
 * A 503 with Retry-After: Slack declined the post and did nothing, so it may be sent again. (A
 * post that may have been carried out — a 502, a 503 without Retry-After — is not retried:
 * connectors-create-retries.test.ts.)
 */
const declined = (times = 1) => ({
  ...slackFaults.unavailable('chat.postMessage', 503, times),
  headers: { 'retry-after': '0' },
});

describe('connector HA runtime', () => {
  it('opens the circuit at the configured failures and closes it after a successful probe', async () => {
    const clock = manualClock();
    const events: ConnectorEvent[] = [];
    const slack = createSlackConnector({
      credentials,
      endpoints: a().apiUrl,
      http,
      ha: { ...quickHa, maxRetries: 0, circuitOpenAfterFailures: 3, circuitResetTimeoutMs: 1_000 },
      clock: { now: clock.now },
      onEvent: (e) => events.push(e),
    });
    a().service.inject(slackFaults.unavailable('chat.postMessage', 503, 3));
    for (let i = 0; i < 3; i++) {
      const failed = await slack.action('postMessage', message);
      expect(failed.error).toMatchObject({ code: 'UPSTREAM_ERROR', details: { status: 503 } });
    }
    expect(slack.getHaStats().circuit).toMatchObject({ state: 'open', failureCount: 3 });
    expect(events.filter((e) => e.type === 'circuit_opened')).toHaveLength(1);

    // open: refused at once, the vendor is not called
    const refused = await slack.action('postMessage', message);
    expect(refused).toMatchObject({ success: false, attempt: 0, error: { code: 'CIRCUIT_OPEN' } });
    expect(a().service.requests).toHaveLength(3);

    clock.advance(999);
    expect((await slack.action('postMessage', message)).error?.code).toBe('CIRCUIT_OPEN');
    clock.advance(1);
    // the break is over: this call is the probe, and it succeeds
    const probe = await slack.action('postMessage', message);
    expect(probe.success).toBe(true);
    expect(slack.getHaStats().circuit.state).toBe('closed');
    expect(events.map((e) => e.type)).toEqual([
      'error',
      'error',
      'circuit_opened',
      'error',
      'error',
      'error',
      'circuit_closed',
    ]);
  });

  it('does not count the vendor’s business refusals against the circuit', async () => {
    const slack = createSlackConnector({
      credentials,
      endpoints: a().apiUrl,
      http,
      ha: { ...quickHa, circuitOpenAfterFailures: 2 },
    });
    for (let i = 0; i < 4; i++) await slack.action('postMessage', { channel: 'C_GONE', text: 'x' });
    expect(slack.getHaStats().circuit).toMatchObject({ state: 'closed', failureCount: 0 });
  });

  it('a file FileForge cannot read from its storage is retried but counts against no endpoint, region or circuit (review)', async () => {
    const slack = createSlackConnector({
      credentials,
      endpoints: [
        { url: a().apiUrl, region: 'us-east-1' },
        { url: b().apiUrl, region: 'eu-west-1' },
      ],
      http,
      ha: {
        ...quickHa,
        maxRetries: 1,
        circuitOpenAfterFailures: 2,
        regions: { primary: 'us-east-1', failover: ['eu-west-1'] },
      },
    });
    const unreadable = {
      ...memoryFile(Buffer.from('%PDF-1.7\n')),
      open: async () => {
        throw new FileForgeError(ErrorCode.STORAGE_UNAVAILABLE, 'blob store down');
      },
    };
    for (let i = 0; i < 3; i++) {
      const failed = await slack.action('uploadFile', { channel: 'C0GENERAL01' }, { file: unreadable });
      expect(failed).toMatchObject({ success: false, attempt: 2, error: { code: 'STORAGE_UNAVAILABLE' } });
    }
    const stats = slack.getHaStats();
    expect(stats.circuit).toMatchObject({ state: 'closed', failureCount: 0 });
    expect(stats.region).toBe('us-east-1');
    expect(stats.endpoints.every((e) => e.healthy)).toBe(true);
    // Slack never failed: the next call goes through, to the primary region.
    expect((await slack.action('postMessage', message)).success).toBe(true);
    expect(a().calls('chat.postMessage')).toHaveLength(1);
  });

  it('returns the registered fallback’s queued result, marked fallback: true, once retries are spent', async () => {
    const { sleep } = recordingSleep();
    const slack = createSlackConnector({
      credentials,
      endpoints: a().apiUrl,
      http,
      ha: { ...quickHa, maxRetries: 2 },
      clock: { sleep },
    });
    const seen: unknown[] = [];
    slack.registerFallback('postMessage', (error) => {
      seen.push(error);
      return { queued: true, channel: message.channel };
    });
    a().service.inject(declined(3));
    const result = await slack.action('postMessage', message);
    expect(result).toMatchObject({
      success: true,
      fallback: true,
      attempt: 3,
      data: { queued: true, channel: 'C0GENERAL01' },
    });
    expect(seen).toHaveLength(1);
    expect(a().service.requests).toHaveLength(3);
  });

  it('turns fallbacks off with fallbackEnabled: false', async () => {
    const slack = createSlackConnector({
      credentials,
      endpoints: a().apiUrl,
      http,
      ha: { ...quickHa, maxRetries: 0, fallbackEnabled: false },
    });
    slack.registerFallback('postMessage', () => ({ queued: true }));
    a().service.inject(slackFaults.unavailable('chat.postMessage'));
    expect(await slack.action('postMessage', message)).toMatchObject({
      success: false,
      error: { code: 'UPSTREAM_ERROR' },
    });
  });

  it('spreads calls over weighted endpoints 5:1:1 as a a b a c a a (seen on three fakes)', async () => {
    const slack = createSlackConnector({
      credentials,
      endpoints: [
        { url: a().apiUrl, weight: 5 },
        { url: b().apiUrl, weight: 1 },
        { url: c().apiUrl, weight: 1 },
      ],
      http,
      ha: quickHa,
    });
    const order: string[] = [];
    for (let i = 0; i < 7; i++) {
      const before = fakes.map((f) => f.service.requests.length);
      expect((await slack.action('postMessage', { ...message, text: `call ${i}` })).success).toBe(true);
      order.push('abc'[fakes.findIndex((f, j) => f.service.requests.length > before[j]!)]!);
    }
    expect(order.join(' ')).toBe('a a b a c a a');
    expect(fakes.map((f) => f.messages.filter((m) => m.text?.startsWith('call ')).length)).toEqual([5, 1, 1]);
    expect(slack.getHaStats().endpoints.map((e) => [e.weight, e.picks, e.healthy])).toEqual([
      [5, 5, true],
      [1, 1, true],
      [1, 1, true],
    ]);
  });

  it('retries on another endpoint after a 503 and reports the failed one unhealthy', async () => {
    const slack = createSlackConnector({
      credentials,
      endpoints: [{ url: a().apiUrl }, { url: b().apiUrl }],
      http,
      ha: quickHa,
      clock: recordingSleep(),
    });
    a().service.inject(declined());
    const result = await slack.action('postMessage', message);
    expect(result).toMatchObject({ success: true, attempt: 2 });
    expect([a().service.requests.length, b().service.requests.length]).toEqual([1, 1]);
    expect(slack.getHaStats().endpoints.map((e) => e.healthy)).toEqual([false, true]);
  });

  it('fails over to the next region when the primary’s success rate drops', async () => {
    const slack = createSlackConnector({
      credentials,
      endpoints: [
        { url: a().apiUrl, region: 'us-east-1' },
        { url: b().apiUrl, region: 'eu-west-1' },
      ],
      http,
      ha: { ...quickHa, maxRetries: 0, regions: { primary: 'us-east-1', failover: ['eu-west-1'] } },
    });
    expect(slack.getHaStats().region).toBe('us-east-1');
    a().service.inject(slackFaults.unavailable('chat.postMessage'));
    expect((await slack.action('postMessage', message)).success).toBe(false);
    expect(slack.getHaStats().region).toBe('eu-west-1');
    expect((await slack.action('postMessage', message)).success).toBe(true);
    expect(b().service.requests).toHaveLength(1);
    expect(slack.getHaStats().endpoints.map((e) => e.region)).toEqual(['us-east-1', 'eu-west-1']);
  });

  it('after a failover, probes the primary every failbackProbeIntervalMs and fails back on two answers in a row', async () => {
    const clock = manualClock();
    const slack = createSlackConnector({
      credentials,
      endpoints: [
        { url: a().apiUrl, region: 'us-east-1' },
        { url: b().apiUrl, region: 'eu-west-1' },
      ],
      http,
      ha: {
        ...quickHa,
        maxRetries: 1,
        regions: { primary: 'us-east-1', failover: ['eu-west-1'], failbackProbeIntervalMs: 30_000 },
      },
      clock: { now: clock.now },
    });
    a().service.inject(declined(2));
    expect((await slack.action('postMessage', message)).success).toBe(true); // second attempt: eu-west-1
    expect(slack.getHaStats().region).toBe('eu-west-1');
    const primaryCalls = () => a().service.requests.length;
    const before = primaryCalls();
    // Within the interval, nothing goes to the primary.
    await slack.action('postMessage', message);
    expect(primaryCalls()).toBe(before);
    // A probe that meets the primary still down: the call goes on in eu-west-1.
    clock.advance(30_000);
    expect((await slack.action('postMessage', message)).success).toBe(true);
    expect(primaryCalls()).toBe(before + 1);
    expect(slack.getHaStats().region).toBe('eu-west-1');
    // The primary is back: one answering probe is not enough, the second fails back.
    clock.advance(30_000);
    expect((await slack.action('postMessage', message)).success).toBe(true);
    expect(slack.getHaStats().region).toBe('eu-west-1');
    clock.advance(30_000);
    expect((await slack.action('postMessage', message)).success).toBe(true);
    expect(slack.getHaStats().region).toBe('us-east-1');
    expect(primaryCalls()).toBe(before + 3);
  });

  it('while no region qualifies, probes each region in turn: a failover region that failed once is used again (review)', async () => {
    const clock = manualClock();
    const slack = createSlackConnector({
      credentials,
      endpoints: [
        { url: a().apiUrl, region: 'us-east-1' },
        { url: b().apiUrl, region: 'eu-west-1' },
      ],
      http,
      ha: {
        ...quickHa,
        maxRetries: 1,
        regions: { primary: 'us-east-1', failover: ['eu-west-1'], failbackProbeIntervalMs: 30_000 },
      },
      clock: { now: clock.now },
    });
    // The primary is down for good; eu-west-1 fails its first call (a cold start), then works.
    a().service.inject(declined(1_000));
    b().service.inject(declined(1));
    expect((await slack.action('postMessage', message)).success).toBe(false);
    const results: boolean[] = [];
    for (let i = 0; i < 5; i++) {
      clock.advance(30_000);
      results.push((await slack.action('postMessage', message)).success);
    }
    // Refused for an interval, then a probe meets the primary still down, the next one reaches
    // eu-west-1, which answers: traffic stays there.
    expect(results).toEqual([false, false, true, true, true]);
    expect(slack.getHaStats().region).toBe('eu-west-1');
    expect(b().service.requestsTo('POST', '/api/chat.postMessage')).toHaveLength(4);
  });

  it('while no region qualifies, probes the primary once every failbackProbeIntervalMs and recovers', async () => {
    const clock = manualClock();
    const slack = createSlackConnector({
      credentials,
      endpoints: [{ url: a().apiUrl, region: 'us-east-1' }],
      http,
      ha: {
        ...quickHa,
        maxRetries: 0,
        regions: { primary: 'us-east-1', failbackProbeIntervalMs: 30_000 },
      },
      clock: { now: clock.now },
    });
    // One failure leaves the only region below its success threshold.
    a().service.inject(slackFaults.unavailable('chat.postMessage'));
    expect((await slack.action('postMessage', message)).success).toBe(false);
    const sent = () => a().service.requestsTo('POST', '/api/chat.postMessage').length;
    expect(sent()).toBe(1);
    // Refused at once meanwhile, the fake not asked...
    expect(await slack.action('postMessage', message)).toMatchObject({
      success: false,
      error: { code: 'NO_HEALTHY_ENDPOINT' },
    });
    clock.advance(29_000);
    expect((await slack.action('postMessage', message)).success).toBe(false);
    expect(sent()).toBe(1);
    // ...until the interval is over: the probe reaches the primary, which answers, and stays.
    clock.advance(1_000);
    expect((await slack.action('postMessage', message)).success).toBe(true);
    expect((await slack.action('postMessage', message)).success).toBe(true);
    expect(sent()).toBe(3);
    expect(slack.getHaStats().region).toBe('us-east-1');
  });

  it('answers from the short result cache when a call asks for it', async () => {
    const clock = manualClock();
    const slack = createSlackConnector({
      credentials,
      endpoints: a().apiUrl,
      http,
      ha: { ...quickHa, cacheTtlMs: 1_000 },
      clock: { now: clock.now },
    });
    const call = () =>
      slack.executeWithHa(
        'team',
        async (attempt) =>
          (
            await fetch(`${attempt.endpoint}auth.test`, {
              method: 'POST',
              headers: { authorization: `Bearer ${credentials.botToken}` },
            })
          ).json(),
        { cache: { key: 'T0' } },
      );
    expect(await call()).toMatchObject({ success: true, attempt: 1 });
    expect(await call()).toMatchObject({ success: true, attempt: 0, fromCache: true, data: { ok: true } });
    clock.advance(1_000);
    expect((await call()).fromCache).toBeUndefined();
    expect(a().service.requests).toHaveLength(2);
  });
});

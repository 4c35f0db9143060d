import { describe, expect, it } from 'vitest';
import type { HttpClient } from '../http/index.js';
import type { DeliveryContext } from './deliver.js';
import { startDeliveryLoop } from './delivery-loop.js';
import type { AttemptStore, ClaimedAttempt } from './store/attempts.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

function attempt(id: string): ClaimedAttempt {
  return {
    id,
    tenant: 'default',
    endpointId: 'ep_1',
    messageId: `msg_${id}`,
    attempt: 1,
    scheduleStep: 1,
    trigger: 'scheduled',
    eventType: 'file.processed',
    body: '{}',
    endpoint: {
      url: 'http://127.0.0.1:1/hooks',
      enabled: true,
      secret: SECRET,
      previousSecret: null,
      previousSecretExpiresAt: null,
      failingSince: null,
    },
  };
}

/** A context whose catalog hands out `queue` once and whose commits wait for `commit()`. */
function fakeContext(queue: ClaimedAttempt[]) {
  const events: string[] = [];
  const commits: Array<() => void> = [];
  let sending = 0;
  let maxSending = 0;
  const attempts = {
    claimDue: async (_now: string, _until: string, _owner: string, limit: number) => queue.splice(0, limit),
    release: async () => {},
    finish: (id: string) =>
      new Promise((resolve) => {
        events.push(`record ${id}`);
        commits.push(() => {
          events.push(`committed ${id}`);
          resolve({ recorded: true, disabled: null });
        });
      }),
  } as unknown as AttemptStore;
  const client = {
    request: async (req: { headers: Record<string, string> }) => {
      const id = req.headers['webhook-id']!.slice(4);
      sending++;
      maxSending = Math.max(maxSending, sending);
      events.push(`send ${id}`);
      await new Promise((r) => setTimeout(r, 5));
      sending--;
      return { status: 204, ok: true, headers: {}, body: new Uint8Array() };
    },
  } as unknown as HttpClient;
  const ctx: DeliveryContext = {
    attempts,
    box: { open: (s: string) => s, seal: (s: string) => s, stale: () => false },
    client,
    now: Date.now,
    iso: (ms) => new Date(ms).toISOString(),
    random: Math.random,
    schedule: [1000],
    jitter: 0,
    timeoutMs: 1000,
    userAgent: 'test',
    disableAfterMs: 60_000,
    newId: () => 'att_next',
    logger: { error() {}, warn() {}, info() {}, debug() {} } as unknown as DeliveryContext['logger'],
    onDisabled: async () => {},
  };
  const commitAll = () => {
    for (const commit of commits.splice(0)) commit();
  };
  return { ctx, events, commitAll, maxSending: () => maxSending };
}

describe('DeliveryLoop', () => {
  it('frees a send slot once the receiver answered, while the outcome waits for its commit (issue 11)', async () => {
    const { ctx, events, commitAll, maxSending } = fakeContext([attempt('a'), attempt('b'), attempt('c')]);
    const loop = startDeliveryLoop(ctx, {
      concurrency: 1,
      pollIntervalMs: 60_000,
      leaseMs: 30_000,
      slowSendMs: 60_000,
      closeGraceMs: 100,
    });
    // No commit has happened yet, and every attempt was still sent, one at a time.
    const sent = (id: string) => events.includes(`send ${id}`);
    for (let i = 0; i < 200 && !sent('b'); i++) await new Promise((r) => setTimeout(r, 5));
    expect(events.slice(0, 3)).toEqual(['send a', 'record a', 'send b']);
    expect(events).not.toContain('committed a');
    expect(maxSending()).toBe(1);
    // flush() resolves only once every outcome is committed.
    let flushed = false;
    const flush = loop.flush().then((n) => {
      flushed = true;
      return n;
    });
    await new Promise((r) => setTimeout(r, 30));
    expect(flushed).toBe(false);
    const commits = setInterval(commitAll, 5);
    try {
      expect(await flush).toBe(3);
    } finally {
      clearInterval(commits);
    }
    expect(events.filter((e) => e.startsWith('committed'))).toEqual([
      'committed a',
      'committed b',
      'committed c',
    ]);
    await loop.close();
  });

  it('holds the slot until the commit when as many outcomes as its concurrency already wait', async () => {
    const { ctx, events, commitAll } = fakeContext([attempt('a'), attempt('b'), attempt('c')]);
    const loop = startDeliveryLoop(ctx, {
      concurrency: 1,
      pollIntervalMs: 60_000,
      leaseMs: 30_000,
      slowSendMs: 60_000,
      closeGraceMs: 100,
    });
    for (let i = 0; i < 200 && !events.includes('record b'); i++) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 30));
    // a waits for its commit with its slot freed; b's outcome waits holding the slot: c is not sent.
    expect(events).not.toContain('send c');
    const commits = setInterval(commitAll, 5);
    try {
      await loop.flush();
    } finally {
      clearInterval(commits);
    }
    expect(events).toContain('committed c');
    await loop.close();
  });
});

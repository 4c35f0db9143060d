import { afterEach, describe, expect, it } from 'vitest';
import { webhooksHealthOf } from '../src/observability/webhooks-health.js';
import { json, type Receiver, startIntegrationServer, startReceiver } from './support/integrations.js';
import { eventually, startTestServer, stopTestServers } from './support/server.js';

const receivers: Receiver[] = [];
afterEach(async () => {
  await stopTestServers();
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

async function receiver(status: number) {
  const r = await startReceiver();
  r.status = status;
  receivers.push(r);
  return r;
}

interface Detailed {
  status: string;
  components: { webhooks?: Record<string, unknown> };
}

const HOUR = 3_600_000;

describe('/health/detailed webhooks component (issue 11)', () => {
  it('reports undelivered messages, the oldest one’s age, failing and disabled endpoints; degraded after 5 minutes', async () => {
    // The service's clock is the test's: its schedule and the backlog's ages follow it.
    let now = Date.parse('2026-03-01T12:00:00.000Z');
    const server = await startIntegrationServer({
      webhooks: { now: () => now, retrySchedule: [HOUR], jitter: 0, pollIntervalMs: 20 },
    });
    const health = async () => {
      const res = await fetch(`${server.url}/health/detailed`);
      expect(res.status).toBe(200);
      return (await res.json()) as Detailed;
    };
    const down = await receiver(500);
    const gone = await receiver(410);
    for (const [name, hook] of [
      ['crm', down],
      ['legacy', gone],
    ] as const) {
      const res = await server.api(
        '/api/v1/integrations/webhooks',
        json('POST', { name, url: hook.url, events: ['file.*'] }),
      );
      expect(res.status).toBe(201);
    }

    expect((await health()).components.webhooks).toEqual({
      status: 'healthy',
      pending_messages: 0,
      pending_attempts: 0,
      due_attempts: 0,
      oldest_pending_age_seconds: null,
      delivery_lag_seconds: 0,
      failing_endpoints: 0,
      disabled_endpoints: 0,
    });

    await server.integrations.webhooks.service.emit('file.processed', { fileId: 'f1' });
    // One attempt each: the 500 schedules the retry an hour later, the 410 disables.
    await eventually(async () => {
      const w = (await health()).components.webhooks;
      return down.received.length === 1 && gone.received.length === 1 && w?.disabled_endpoints === 1
        ? w
        : undefined;
    }, 'both receivers answered');
    const waiting = await health();
    expect(waiting.status).toBe('healthy');
    expect(waiting.components.webhooks).toEqual({
      status: 'healthy',
      pending_messages: 1,
      pending_attempts: 1,
      due_attempts: 0,
      oldest_pending_age_seconds: 0,
      delivery_lag_seconds: 0,
      failing_endpoints: 1,
      disabled_endpoints: 1,
    });

    // Ten minutes on, the retry still waits: the message is late, the server degraded (not 503).
    now += 10 * 60_000;
    const late = await health();
    expect(late.status).toBe('degraded');
    expect(late.components.webhooks).toMatchObject({
      status: 'degraded',
      pending_messages: 1,
      oldest_pending_age_seconds: 600,
      due_attempts: 0,
    });

    // The receiver is back and the retry comes due: delivered, the backlog empties, the
    // failing clock clears; the 410'd endpoint stays disabled.
    down.status = 204;
    now += HOUR;
    await eventually(() => (down.received.length === 2 ? true : undefined), 'the retry was delivered');
    const cleared = await eventually(async () => {
      const body = await health();
      return body.components.webhooks?.pending_messages === 0 ? body : undefined;
    }, 'the backlog emptied');
    expect(cleared.status).toBe('healthy');
    expect(cleared.components.webhooks).toMatchObject({
      status: 'healthy',
      pending_attempts: 0,
      oldest_pending_age_seconds: null,
      failing_endpoints: 0,
      disabled_endpoints: 1,
    });
    expect(down.received[1]!.headers['webhook-id']).toBe(down.received[0]!.headers['webhook-id']);
  });

  it('has no webhooks component on a server without webhooks', async () => {
    const bare = await startTestServer();
    const plain = (await (await fetch(`${bare.url}/health/detailed`)).json()) as Detailed;
    expect(plain.components).not.toHaveProperty('webhooks');
  });

  it('is degraded when a due attempt has waited more than a minute (no process is sending)', () => {
    const backlog = {
      pendingMessages: 3,
      pendingAttempts: 3,
      dueAttempts: 3,
      oldestPendingAt: '2026-03-01T12:00:00.000Z',
      oldestPendingAgeMs: 61_000,
      failingEndpoints: 0,
      disabledEndpoints: 0,
    };
    expect(webhooksHealthOf({ ...backlog, deliveryLagMs: 60_000 }).status).toBe('healthy');
    expect(webhooksHealthOf({ ...backlog, deliveryLagMs: 61_000 })).toMatchObject({
      status: 'degraded',
      delivery_lag_seconds: 61,
      due_attempts: 3,
    });
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { jsonBody, login, uploadForm } from './support/access-server.js';
import { json, type Receiver, startIntegrationServer, startReceiver } from './support/integrations.js';
import { eventually, startTestServer, stopTestServers, waitForFinal } from './support/server.js';

const receivers: Receiver[] = [];
afterEach(async () => {
  await stopTestServers();
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

async function receiver() {
  const r = await startReceiver();
  receivers.push(r);
  return r;
}

interface Subscription {
  id: string;
  name: string;
  url: string;
  events: string[];
  enabled: boolean;
  secret?: string;
  links: { self: string; deliveries: string };
}
interface Attempt {
  id: string;
  messageId: string;
  eventType: string;
  attempt: number;
  trigger: string;
  status: string;
  responseStatus: number | null;
}

const BASE = '/api/v1/integrations/webhooks';

describe('webhooks over HTTP (issue 11)', () => {
  it('subscribes, tests with a signed delivery the receiver verifies, shows it in the history, resends and rotates', async () => {
    const server = await startIntegrationServer();
    const hook = await receiver();
    const created = await server.api(BASE, json('POST', { name: 'crm', url: hook.url, events: ['file.*'] }));
    expect(created.status, await created.clone().text()).toBe(201);
    const sub = (await created.json()) as Subscription;
    expect(sub.secret).toMatch(/^whsec_[A-Za-z0-9+/=]{40,}$/);
    expect(created.headers.get('Location')).toBe(`${BASE}/${sub.id}`);
    expect(sub).toMatchObject({ name: 'crm', url: hook.url, events: ['file.*'], enabled: true });
    hook.secrets.push(sub.secret!);

    // The secret is shown once: never in a list or a get.
    const list = (await (await server.api(BASE)).json()) as { items: Subscription[]; nextCursor: null };
    expect(list.items.map((s) => s.id)).toEqual([sub.id]);
    expect(JSON.stringify(list)).not.toContain(sub.secret);
    const got = await server.api(`${BASE}/${sub.id}`);
    expect(JSON.stringify(await got.json())).not.toContain(sub.secret);

    const tested = await server.api(`${BASE}/${sub.id}/test`, { method: 'POST' });
    expect(tested.status).toBe(200);
    const attempt = (await tested.json()) as Attempt;
    expect(attempt).toMatchObject({
      status: 'succeeded',
      trigger: 'test',
      eventType: 'webhook.test',
      attempt: 1,
    });
    expect(attempt.responseStatus).toBe(204);
    expect(hook.received).toHaveLength(1);
    expect(hook.received[0]).toMatchObject({ verified: true });
    expect(hook.received[0]!.headers['webhook-id']).toBe(attempt.messageId);
    expect(JSON.parse(hook.received[0]!.body)).toMatchObject({ type: 'webhook.test' });

    const history = await server.api(`${BASE}/${sub.id}/deliveries`);
    expect(history.status).toBe(200);
    const page = (await history.json()) as { items: Record<string, unknown>[]; nextCursor: string | null };
    expect(page.items).toHaveLength(1);
    expect(Object.keys(page.items[0]!).sort()).toEqual(
      [
        'id',
        'subscriptionId',
        'messageId',
        'eventType',
        'attempt',
        'trigger',
        'url',
        'requestBody',
        'status',
        'responseStatus',
        'responseBody',
        'durationMs',
        'createdAt',
        'sentAt',
        'nextAttemptAt',
      ].sort(),
    );
    // The history shows the very body the receiver got.
    expect(page.items[0]!.requestBody).toBe(hook.received[0]!.body);
    const failedOnly = await server.api(`${BASE}/${sub.id}/deliveries?status=failed`);
    expect(((await failedOnly.json()) as { items: unknown[] }).items).toEqual([]);
    expect((await server.api(`${BASE}/${sub.id}/deliveries?status=lost`)).status).toBe(400);

    const resent = await server.api(`${BASE}/${sub.id}/deliveries/${attempt.id}/resend`, { method: 'POST' });
    expect(resent.status).toBe(200);
    const again = (await resent.json()) as Attempt;
    expect(again).toMatchObject({ trigger: 'manual', status: 'succeeded', messageId: attempt.messageId });
    expect(hook.received[1]!.headers['webhook-id']).toBe(attempt.messageId);

    // Newest first.
    const both = (await (await server.api(`${BASE}/${sub.id}/deliveries`)).json()) as { items: Attempt[] };
    expect(both.items.map((a) => a.id)).toEqual([again.id, attempt.id]);

    const rotated = await server.api(`${BASE}/${sub.id}/rotate-secret`, { method: 'POST' });
    expect(rotated.status).toBe(200);
    const { secret: newSecret } = (await rotated.json()) as Subscription;
    expect(newSecret).toMatch(/^whsec_/);
    expect(newSecret).not.toBe(sub.secret);
    // Only the new secret is known to the receiver now: the next delivery must verify with it.
    hook.secrets.splice(0, hook.secrets.length, newSecret!);
    await server.api(`${BASE}/${sub.id}/test`, { method: 'POST' });
    expect(hook.received[2]).toMatchObject({ verified: true });
    // Both secrets sign during the overlap.
    expect(String(hook.received[2]!.headers['webhook-signature']).split(' ')).toHaveLength(2);

    const patched = await server.api(`${BASE}/${sub.id}`, json('PATCH', { name: 'crm v2', enabled: false }));
    expect(await patched.json()).toMatchObject({ name: 'crm v2', enabled: false, disabledReason: 'manual' });

    expect((await server.api(`${BASE}/${sub.id}`, { method: 'DELETE' })).status).toBe(204);
    const gone = await server.api(`${BASE}/${sub.id}`);
    expect(gone.status).toBe(404);
    expect(((await gone.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
  });

  it('refuses a loopback URL that is not allow-listed with 422 WEBHOOK_URL_FORBIDDEN', async () => {
    const server = await startIntegrationServer({ allowedHosts: [] });
    const res = await server.api(
      BASE,
      json('POST', { name: 'local', url: 'http://127.0.0.1:9/hooks', events: ['file.processed'] }),
    );
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: { code: string; details?: Record<string, unknown> } };
    expect(body.error.code).toBe('WEBHOOK_URL_FORBIDDEN');
    expect((await server.api(BASE).then((r) => r.json())) as unknown).toMatchObject({ items: [] });
  });

  it('validates the body: 400 VALIDATION_FAILED naming the field', async () => {
    const server = await startIntegrationServer();
    const res = await server.api(BASE, json('POST', { name: 'x', url: 'http://127.0.0.1:9/', events: [] }));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
  });

  it('lets a viewer read subscriptions but not create one (403)', async () => {
    const server = await startIntegrationServer();
    await server.server.auth.createUser({
      email: 'viewer@example.test',
      password: 'a viewer password of length',
      role: 'viewer',
      tenant: 'default',
    });
    const { accessToken } = await login(server.url, 'viewer@example.test', 'a viewer password of length');
    const auth = { Authorization: `Bearer ${accessToken}` };
    const refused = await fetch(`${server.url}${BASE}`, {
      ...jsonBody('POST', { name: 'v', url: 'http://127.0.0.1:9/', events: ['*'] }),
      headers: { 'Content-Type': 'application/json', ...auth },
    });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
    expect((await fetch(`${server.url}${BASE}`, { headers: auth })).status).toBe(200);
  });

  it('answers 404 INTEGRATIONS_NOT_CONFIGURED on a server created without integrations', async () => {
    const server = await startTestServer();
    const res = await server.api(BASE);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'INTEGRATIONS_NOT_CONFIGURED' } });
  });

  it('seed flow: an upload is processed, a workflow on file.processed runs a webhook step, and the receiver gets a signed workflow.completed', async () => {
    const server = await startIntegrationServer();
    const hook = await receiver();
    const sub = (await (
      await server.api(BASE, json('POST', { name: 'flow', url: hook.url, events: ['workflow.completed'] }))
    ).json()) as Subscription;
    hook.secrets.push(sub.secret!);
    const workflow = await server.api('/api/v1/workflows', {
      method: 'POST',
      headers: { 'Content-Type': 'application/yaml' },
      body: `
name: notify-crm
on: { event: file.processed }
steps:
  notify:
    uses: webhook
    with: { url: "${hook.url}", event: invoice.received, data: { fileId: "{{ file.id }}" } }
`,
    });
    expect(workflow.status, await workflow.clone().text()).toBe(201);

    const upload = await server.api('/api/v1/files', {
      method: 'POST',
      body: uploadForm('note.txt', 'hello'),
    });
    expect(upload.status).toBe(201);
    const { files } = (await upload.json()) as { files: { id: string }[] };
    const fileId = files[0]!.id;
    expect((await waitForFinal(server.api, fileId)).status).toBe('processed');

    const completed = await eventually(
      () => hook.received.find((r) => JSON.parse(r.body).type === 'workflow.completed'),
      'workflow.completed delivered',
    );
    expect(completed.verified).toBe(true);
    const step = hook.received.find((r) => JSON.parse(r.body).type === 'invoice.received');
    expect(step).toMatchObject({ verified: true });
    expect(JSON.parse(step!.body).data).toEqual({ fileId });
    const history = (await (await server.api(`${BASE}/${sub.id}/deliveries`)).json()) as { items: Attempt[] };
    expect(history.items.map((a) => [a.eventType, a.status])).toContainEqual([
      'workflow.completed',
      'succeeded',
    ]);
  });
});

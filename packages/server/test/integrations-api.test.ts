import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { login } from './support/access-server.js';
import {
  createSlackFake,
  type IntegrationServer,
  json,
  type SlackFake,
  slackFaults,
  startIntegrationServer,
} from './support/integrations.js';
import { startTestServer, stopTestServers } from './support/server.js';

const TOKEN = 'xoxb-fileforge-test';
let slack: SlackFake;

beforeAll(async () => {
  slack = createSlackFake();
  await slack.start();
});
afterAll(() => slack.close());
afterEach(stopTestServers);

/** A server whose Slack connector talks to the fake. */
const slackServer = () =>
  startIntegrationServer({ connectors: { settings: { slack: { endpoints: slack.apiUrl } } } });

interface Summary {
  slug: string;
  name: string;
  connected: boolean;
  circuitState: string;
  region: string | null;
  available: boolean;
}

/** Creates an editor in the server's default tenant and answers its access token. */
async function editorOf(server: IntegrationServer): Promise<string> {
  const password = 'an editor password of length';
  await server.server.auth.createUser({
    email: 'editor@example.test',
    password,
    role: 'editor',
    tenant: 'default',
  });
  return (await login(server.url, 'editor@example.test', password)).accessToken;
}

async function connectSlack(server: IntegrationServer, body: Record<string, unknown> = { botToken: TOKEN }) {
  return server.api('/api/v1/integrations/connect/slack', json('POST', body));
}

describe('integrations over HTTP (issue 11)', () => {
  it('lists all seven connectors, none connected at first', async () => {
    const server = await slackServer();
    const res = await server.api('/api/v1/integrations');
    expect(res.status).toBe(200);
    const { items } = (await res.json()) as { items: Summary[] };
    expect(items.map((i) => i.slug)).toEqual([
      'salesforce',
      'dynamics',
      'docusign',
      'slack',
      'teams',
      'sap',
      'oracle',
    ]);
    for (const item of items) {
      expect(item).toMatchObject({ connected: false, circuitState: 'closed' });
      expect(Object.keys(item).sort()).toEqual([
        'available',
        'circuitState',
        'connected',
        'name',
        'region',
        'slug',
      ]);
    }
  });

  it('connects Slack against the fake (the seed guide’s bot_token too) and never echoes the token', async () => {
    const server = await slackServer();
    const res = await connectSlack(server, { bot_token: TOKEN });
    const text = await res.text();
    expect(res.status, text).toBe(201);
    expect(text).not.toContain(TOKEN);
    expect(JSON.parse(text)).toMatchObject({
      slug: 'slack',
      connected: true,
      circuitState: 'closed',
      fields: [{ name: 'botToken', secret: true, set: true }],
      actions: expect.arrayContaining(['postMessage', 'uploadFile']),
    });
    // The connection was tested against the vendor with the token.
    expect(slack.service.requestsTo('POST', '/api/auth.test').at(-1)?.headers.authorization).toBe(
      `Bearer ${TOKEN}`,
    );

    const list = await server.api('/api/v1/integrations');
    const listText = await list.text();
    expect(listText).not.toContain(TOKEN);
    const { items } = JSON.parse(listText) as { items: Summary[] };
    expect(items.find((i) => i.slug === 'slack')).toMatchObject({ connected: true, circuitState: 'closed' });

    // Connecting again replaces the credentials: 200.
    expect((await connectSlack(server)).status).toBe(200);
  });

  it('refuses bad credentials: 400 for the wrong shape, 422 INTEGRATION_REJECTED when Slack says invalid_auth', async () => {
    const server = await slackServer();
    const shape = await connectSlack(server, { botToken: 'not-a-token' });
    expect(shape.status).toBe(400);
    expect(await shape.text()).not.toContain('not-a-token');
    const refused = await connectSlack(server, { botToken: 'xoxb-unknown-token' });
    const text = await refused.text();
    expect(refused.status, text).toBe(422);
    expect(JSON.parse(text)).toMatchObject({ error: { code: 'INTEGRATION_REJECTED' } });
    expect(text).not.toContain('xoxb-unknown-token');
    const { items } = (await (await server.api('/api/v1/integrations')).json()) as { items: Summary[] };
    expect(items.find((i) => i.slug === 'slack')?.connected).toBe(false);
  });

  it('shows the status with its circuit, tests the connection, posts a message through an action, and disconnects', async () => {
    const server = await slackServer();
    expect((await connectSlack(server)).status).toBe(201);

    const status = await server.api('/api/v1/integrations/slack/status');
    expect(status.status).toBe(200);
    const body = (await status.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      circuitState: 'closed',
      circuit: { state: 'closed', failureCount: 0 },
      endpoints: [{ url: slack.apiUrl, healthy: true }],
      lastError: null,
      connectedAt: expect.any(String),
    });

    const tested = await server.api('/api/v1/integrations/slack/test', { method: 'POST' });
    expect(tested.status).toBe(200);
    expect(await tested.json()).toMatchObject({ success: true, data: { teamId: 'T0FILEFORGE' } });

    const before = slack.messages.length;
    const action = await server.api(
      '/api/v1/integrations/slack/actions/postMessage',
      json('POST', { input: { channel: 'C0GENERAL01', text: 'invoice-42 processed' } }),
    );
    expect(action.status).toBe(200);
    expect(await action.json()).toMatchObject({
      success: true,
      data: { channel: 'C0GENERAL01' },
      attempt: 1,
    });
    expect(slack.messages.slice(before)).toMatchObject([
      { channel: 'C0GENERAL01', text: 'invoice-42 processed' },
    ]);

    const unknown = await server.api(
      '/api/v1/integrations/slack/actions/launchRocket',
      json('POST', { input: {} }),
    );
    expect(unknown.status).toBe(404);

    expect((await server.api('/api/v1/integrations/slack', { method: 'DELETE' })).status).toBe(204);
    const after = await server.api('/api/v1/integrations/slack/test', { method: 'POST' });
    expect(after.status).toBe(409);
    expect(await after.json()).toMatchObject({ error: { code: 'INTEGRATION_NOT_CONNECTED' } });
  });

  it('lets only an admin connect: an editor may read the list but gets 403 on connect', async () => {
    const server = await slackServer();
    const accessToken = await editorOf(server);
    const headers = { Authorization: `Bearer ${accessToken}`, 'Content-Type': 'application/json' };
    const refused = await fetch(`${server.url}/api/v1/integrations/connect/slack`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ botToken: TOKEN }),
    });
    expect(refused.status).toBe(403);
    expect((await fetch(`${server.url}/api/v1/integrations`, { headers })).status).toBe(200);
  });

  it('reports the connectors in /health/detailed: circuit state, endpoints and region, without calling Slack', async () => {
    const server = await slackServer();
    expect((await connectSlack(server)).status).toBe(201);
    const calls = slack.service.requests.length;
    const res = await fetch(`${server.url}/health/detailed`);
    expect(res.status).toBe(200);
    const text = await res.text();
    // Public: no tenant's vendor address (it can carry credentials) is shown.
    expect(text).not.toContain(new URL(slack.apiUrl).host);
    const body = JSON.parse(text) as { status: string; components: { integrations: unknown } };
    expect(body.status).toBe('healthy');
    expect(body.components.integrations).toEqual({
      status: 'healthy',
      connectors: [
        {
          slug: 'slack',
          name: 'Slack',
          connections: 1,
          circuit_state: 'closed',
          region: null,
          endpoints: [{ healthy: true }],
        },
      ],
    });
    expect(slack.service.requests.length).toBe(calls);
  });

  it('reports an open circuit as degraded in /health/detailed (still 200) and in the status', async () => {
    const server = await startIntegrationServer({
      connectors: {
        settings: { slack: { endpoints: slack.apiUrl } },
        ha: { maxRetries: 0, retryDelayMs: 1, circuitOpenAfterFailures: 2, circuitResetTimeoutMs: 60_000 },
      },
    });
    expect((await connectSlack(server)).status).toBe(201);
    slack.service.inject(slackFaults.unavailable('chat.postMessage', 503, 2));
    for (let i = 0; i < 2; i++) {
      const res = await server.api(
        '/api/v1/integrations/slack/actions/postMessage',
        json('POST', { input: { channel: 'C0GENERAL01', text: 'down' } }),
      );
      expect(await res.json()).toMatchObject({ success: false, error: { code: 'UPSTREAM_ERROR' } });
    }
    const status = (await (await server.api('/api/v1/integrations/slack/status')).json()) as Record<
      string,
      unknown
    >;
    expect(status).toMatchObject({ circuitState: 'open', lastError: { code: 'UPSTREAM_ERROR' } });
    const res = await fetch(`${server.url}/health/detailed`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      status: 'degraded',
      components: {
        integrations: { status: 'degraded', connectors: [{ slug: 'slack', circuit_state: 'open' }] },
      },
    });
  });

  it('answers 404 INTEGRATIONS_NOT_CONFIGURED, and has no integrations health component, without integrations', async () => {
    const server = await startTestServer();
    const res = await server.api('/api/v1/integrations');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'INTEGRATIONS_NOT_CONFIGURED' } });
    const health = (await (await fetch(`${server.url}/health/detailed`)).json()) as { components: object };
    expect(health.components).not.toHaveProperty('integrations');
  });
});

describe('workflows are no way around the permission table', () => {
  const post = (server: IntegrationServer, path: string, token: string, body: unknown) =>
    fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  const slackWorkflow = {
    name: 'tell slack',
    on: { manual: true },
    steps: { post: { uses: 'connector.slack.postMessage', with: { channel: 'C0GENERAL01', text: 'hi' } } },
  };

  async function withEditor() {
    const server = await slackServer();
    expect((await connectSlack(server)).status).toBe(201);
    return { server, editor: await editorOf(server) };
  }

  it("refuses an editor a workflow with a connector step (the tenant's credentials are admin-only)", async () => {
    const { server, editor } = await withEditor();
    const before = slack.messages.length;
    const refused = await post(server, '/api/v1/workflows', editor, slackWorkflow);
    expect(refused.status, await refused.clone().text()).toBe(403);
    expect(await refused.json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
    // An admin may save it; the editor may still not start it.
    const saved = await server.api('/api/v1/workflows', json('POST', slackWorkflow));
    expect(saved.status).toBe(201);
    const { id } = (await saved.json()) as { id: string };
    const run = await post(server, `/api/v1/workflows/${id}/runs`, editor, {});
    expect(run.status).toBe(403);
    expect(slack.messages.length).toBe(before);
  });

  it('lets an editor start a run only on a file it may change, as reprocessing', async () => {
    const { server, editor } = await withEditor();
    const saved = await server.api(
      '/api/v1/workflows',
      json('POST', {
        name: 'again',
        on: { manual: true },
        steps: { p: { uses: 'process', with: { force: true } } },
      }),
    );
    expect(saved.status).toBe(201);
    const { id } = (await saved.json()) as { id: string };
    const adminsFile = await server.forge.ingest(Readable.from([Buffer.from('the admin’s notes\n')]), {
      name: 'admin.txt',
    });
    const refused = await post(server, `/api/v1/workflows/${id}/runs`, editor, { fileId: adminsFile.id });
    expect(refused.status).toBe(403);
    const me = (await (
      await fetch(`${server.url}/api/v1/auth/me`, { headers: { Authorization: `Bearer ${editor}` } })
    ).json()) as { user: { id: string } };
    const ownFile = await server.forge.ingest(Readable.from([Buffer.from('the editor’s notes\n')]), {
      name: 'editor.txt',
      ownerId: me.user.id,
    });
    expect((await post(server, `/api/v1/workflows/${id}/runs`, editor, { fileId: ownFile.id })).status).toBe(
      202,
    );
  });
});

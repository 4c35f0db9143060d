/**
 * `GET /api/v1/events`: a page signed in with its session cookie watches an upload reach
 * `processed` without polling, sees nothing of other tenants, keeps receiving heartbeats, and
 * the stream ends cleanly when the server shuts down.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { makeText } from './support/fixtures.js';
import { ADMIN, startTestServer, stopTestServers } from './support/server.js';

afterEach(stopTestServers);

interface SseMessage {
  event?: string;
  id?: string;
  data?: string;
  comment?: string;
}

/** Reads an event stream message by message. */
function sseReader(body: ReadableStream<Uint8Array>) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  return {
    /** The next message, or `null` when the stream ended. */
    async next(): Promise<SseMessage | null> {
      for (;;) {
        const end = buffer.indexOf('\n\n');
        if (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const message: SseMessage = {};
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) message.comment = line.slice(1).trim();
            const [, field, value] = /^(event|id|data): ?(.*)$/.exec(line) ?? [];
            if (field) message[field as 'event' | 'id' | 'data'] = value;
          }
          return message;
        }
        const { done, value } = await reader.read();
        if (done) return null;
        buffer += value;
      }
    },
    cancel: () => reader.cancel().catch(() => {}),
  };
}

async function nextEvent(stream: ReturnType<typeof sseReader>, accept: (m: SseMessage) => boolean) {
  const skipped: SseMessage[] = [];
  for (;;) {
    const message = await stream.next();
    if (!message) throw new Error(`stream ended; saw ${JSON.stringify(skipped)}`);
    if (accept(message)) return { message, skipped };
    skipped.push(message);
  }
}

/** Opens the live event stream with `token`; checks it is let in and its heartbeats flow. */
async function openStream(url: string, token: string) {
  const res = await fetch(`${url}/api/v1/events`, { headers: { Authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  const stream = sseReader(res.body!);
  expect((await stream.next())?.event).toBe('ready');
  // Heartbeats flow while the caller is still let in.
  expect((await stream.next())?.comment).toBe('ping');
  return stream;
}

/** Whether the stream ends within 50 more messages. */
async function untilEnd(stream: ReturnType<typeof sseReader>) {
  for (let i = 0; i < 50; i++) if ((await stream.next()) === null) return true;
  return false;
}

describe('live file events (server-sent events)', () => {
  it("streams the session's tenant's file events until processed, never another tenant's", async () => {
    const { url, api, forge } = await startTestServer({}, { liveEventsHeartbeatMs: 100 });
    const login = await fetch(`${url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ ...ADMIN, session: 'cookie' }),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');

    const res = await fetch(`${url}/api/v1/events`, { headers: { Cookie: cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const stream = sseReader(res.body!);
    expect((await stream.next())?.event).toBe('ready');

    // Another tenant's event, delivered first on the bus, must never reach this stream.
    forge.events.emit('file.processed', {
      eventId: 'evt_foreign',
      tenant: 'acme',
      timestamp: new Date().toISOString(),
      file: { id: 'foreign', tenant: 'acme', name: 'secret.txt', status: 'processed' } as never,
    });

    const form = new FormData();
    form.append('file', new File([makeText()], 'live.txt'));
    const upload = await api('/api/v1/files', { method: 'POST', body: form });
    expect(upload.status).toBe(201);
    const [file] = ((await upload.json()) as { files: Array<{ id: string }> }).files;

    const seen: Array<{ type: string; status: string }> = [];
    const { skipped } = await nextEvent(stream, (m) => {
      if (!m.data || !m.event?.startsWith('file.')) return false;
      const data = JSON.parse(m.data) as { type: string; file: { id: string; status: string } };
      expect(data.file.id).toBe(file!.id);
      expect(m.event).toBe(data.type);
      seen.push({ type: data.type, status: data.file.status });
      return data.type === 'file.processed';
    });
    expect(seen[0]).toEqual({ type: 'file.uploaded', status: 'pending' });
    expect(seen.at(-1)).toEqual({ type: 'file.processed', status: 'processed' });
    expect(JSON.stringify(skipped)).not.toContain('secret.txt');
    // Heartbeats keep an idle stream alive.
    await nextEvent(stream, (m) => m.comment === 'ping');
    await stream.cancel();
  });

  it('ends open streams when the server shuts down, without waiting for the shutdown grace', async () => {
    const { url, authHeaders, server } = await startTestServer({}, { shutdownGraceMs: 120_000 });
    const res = await fetch(`${url}/api/v1/events`, { headers: authHeaders });
    const stream = sseReader(res.body!);
    expect((await stream.next())?.event).toBe('ready');
    // The test's own timeout is far below the grace: close() returns because the stream ended.
    await server.close();
    expect(await stream.next()).toBeNull();
  });

  it('refuses a caller without credentials', async () => {
    const { url } = await startTestServer();
    const res = await fetch(`${url}/api/v1/events`);
    expect(res.status).toBe(401);
  });

  it('ends a stream at the next heartbeat once its user is disabled, or its API key revoked', async () => {
    const { url, api, server } = await startTestServer({}, { liveEventsHeartbeatMs: 100 });
    const created = await api('/api/v1/users', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: 'watcher@example.test', password: 'a watcher password', role: 'viewer' }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const login = await fetch(`${url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: 'watcher@example.test', password: 'a watcher password' }),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const key = await server.auth.createApiKey(
      { kind: 'user', id, userId: id, tenant: 'default', role: 'viewer' },
      { name: 'watch', role: 'viewer' },
    );
    const byKey = await openStream(url, key.key);
    const revoked = await api(`/api/v1/api-keys/${key.id}`, { method: 'DELETE' });
    expect(revoked.status).toBe(204);
    expect(await untilEnd(byKey)).toBe(true);

    const byUser = await openStream(url, accessToken);
    const disabled = await api(`/api/v1/users/${id}`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ disabled: true }),
    });
    expect(disabled.status).toBe(200);
    expect(await untilEnd(byUser)).toBe(true);
  });

  it('ends a stream at the next heartbeat once its login is logged out', async () => {
    const { url, api } = await startTestServer({}, { liveEventsHeartbeatMs: 100 });
    const credentials = { email: 'leaver@example.test', password: 'a leaver password' };
    const created = await api('/api/v1/users', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ ...credentials, role: 'viewer' }),
    });
    expect(created.status).toBe(201);
    const signIn = async () => {
      const res = await fetch(`${url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(credentials),
      });
      return (await res.json()) as { accessToken: string; refreshToken: string };
    };
    const leaving = await signIn();
    const staying = await signIn();
    const ended = await openStream(url, leaving.accessToken);
    const kept = await openStream(url, staying.accessToken);
    const out = await fetch(`${url}/api/v1/auth/logout`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ refreshToken: leaving.refreshToken }),
    });
    expect(out.status).toBe(204);
    expect(await untilEnd(ended)).toBe(true);
    // The same user's other login keeps its stream.
    expect((await kept.next())?.comment).toBe('ping');
    await kept.cancel();
  });
});

import { readdir } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, startTestServer, stopTestServers } from './support/server.js';

afterEach(stopTestServers);

describe('robustness of the API against bad requests', () => {
  it('answers malformed JSON and a wrong content type with 4xx, never 500', async () => {
    const server = await startTestServer();
    const login = (body: string, type: string) =>
      fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': type }, body });
    const malformed = await login('{bad', 'application/json');
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { error: { code: string } }).error.code).toBe('BAD_REQUEST');
    const form = await login('email=a&password=b', 'application/x-www-form-urlencoded');
    expect(form.status).toBeGreaterThanOrEqual(400);
    expect(form.status).toBeLessThan(500);
    const refresh = await fetch(`${server.url}/api/v1/auth/refresh`, {
      method: 'POST',
      body: 'x',
      headers: { 'content-type': 'text/plain' },
    });
    expect(refresh.status).toBeGreaterThanOrEqual(400);
    expect(refresh.status).toBeLessThan(500);
  });

  it('refuses an oversized JSON body with 413 before reading it', async () => {
    const server = await startTestServer();
    const res = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'a@example.test', password: 'x'.repeat(200_000) }),
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('REQUEST_TOO_LARGE');
  });

  it('answers an upload that stops sending with 408 and stores nothing', async () => {
    const server = await startTestServer({}, { uploadIdleTimeoutMs: 500 });
    const { port } = new URL(server.url);
    const boundary = 'idle-boundary';
    const socket = connect(Number(port), '127.0.0.1');
    const response = new Promise<string>((resolve) => {
      let text = '';
      socket.on('data', (d) => {
        text += d.toString();
      });
      socket.on('close', () => resolve(text));
      socket.on('error', () => resolve(text));
    });
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="slow.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`;
    socket.write(
      `POST /api/v1/files HTTP/1.1\r\nHost: 127.0.0.1\r\n${server.authHeaders.Authorization ? `Authorization: ${server.authHeaders.Authorization}\r\n` : ''}` +
        `Content-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: 10000000\r\n\r\n${head}${'x'.repeat(1000)}`,
    );
    const text = await response; // the server answers, then closes: the client never finished
    expect(text).toMatch(/^HTTP\/1\.1 408/);
    expect(text).toContain('REQUEST_TIMEOUT');
    const list = (await (await server.api('/api/v1/files')).json()) as { items: unknown[] };
    expect(list.items).toEqual([]);
    await eventually(
      async () => ((await readdir(join(server.uploadFolder, '.tmp'))).length === 0 ? true : undefined),
      'the partial upload was removed from .tmp',
    );
  });

  it('never lets an API key do more than its owner may do now', async () => {
    const server = await startTestServer();
    const auth = server.server.auth;
    const admin2 = await auth.createUser({
      email: 'second@example.test',
      password: 'long enough pw',
      role: 'admin',
      tenant: 'default',
    });
    const principal = {
      kind: 'user' as const,
      id: admin2.id,
      userId: admin2.id,
      tenant: 'default',
      role: 'admin' as const,
    };
    const { key } = await auth.createApiKey(principal, { name: 'admin key', role: 'admin' });
    const asKey = () => fetch(`${server.url}/api/v1/users`, { headers: { Authorization: `Bearer ${key}` } });
    expect((await asKey()).status).toBe(200);
    await server.forge.catalog.accounts.updateUser(admin2.id, { role: 'viewer' });
    expect((await asKey()).status).toBe(403);
  });
});

import { EventEmitter } from 'node:events';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { ServerEnv } from '../server-env.js';
import { bodyDeadline } from './body-deadline.js';

/** Just enough of Node's request and response for the middleware: completion, socket, finish. */
function nodePair(complete: boolean) {
  const destroyed: string[] = [];
  const incoming = Object.assign(new EventEmitter(), {
    complete,
    socket: { destroy: () => destroyed.push('socket') },
  });
  const outgoing = new EventEmitter();
  return { env: { incoming, outgoing } as unknown as ServerEnv['Bindings'], incoming, outgoing, destroyed };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function appWith(handlerMs: number, timeoutMs: number) {
  const app = new Hono<ServerEnv>();
  app.use(bodyDeadline({ timeoutMs, exempt: (c) => c.req.path === '/upload' }));
  app.all('*', async (c) => {
    await sleep(handlerMs);
    return c.json({ ok: true });
  });
  return app;
}

describe('bodyDeadline (issue 7)', () => {
  it('answers 408 REQUEST_TIMEOUT with Connection: close when the body is late, and closes after the answer', async () => {
    const { env, outgoing, destroyed } = nodePair(false);
    const res = await appWith(1_000, 50).request('/api/v1/auth/login', { method: 'POST' }, env);
    expect(res.status).toBe(408);
    expect(res.headers.get('Connection')).toBe('close');
    expect(await res.json()).toMatchObject({
      error: { code: 'REQUEST_TIMEOUT', details: { timeoutMs: 50 } },
    });
    expect(destroyed).toEqual([]);
    outgoing.emit('finish');
    expect(destroyed).toEqual(['socket']);
  });

  it('does not time a handler still working after the whole body arrived', async () => {
    const { env, incoming } = nodePair(false);
    setTimeout(() => {
      incoming.complete = true;
      incoming.emit('end');
    }, 10);
    const res = await appWith(150, 50).request('/api/v1/auth/login', { method: 'POST' }, env);
    expect(res.status).toBe(200);
  });

  it('costs nothing for a request whose body is complete on arrival, and leaves exempt routes alone', async () => {
    const complete = nodePair(true);
    expect((await appWith(100, 20).request('/x', { method: 'POST' }, complete.env)).status).toBe(200);
    const upload = nodePair(false);
    expect((await appWith(100, 20).request('/upload', { method: 'POST' }, upload.env)).status).toBe(200);
  });

  it('closes the connection of a request answered without its body when the body is still trickling at the deadline', async () => {
    const { env, destroyed } = nodePair(false);
    const res = await appWith(0, 50).request('/x', { method: 'POST' }, env);
    expect(res.status).toBe(200);
    await sleep(120);
    expect(destroyed).toEqual(['socket']);
  });
});

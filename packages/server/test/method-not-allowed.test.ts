import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, stopTestServers, type TestServer } from './support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(stopTestServers);

interface ErrorBody {
  error: { code: string; message: string; requestId?: string; details?: { allow?: string[] } };
}

describe('a request with a method its route does not take', () => {
  it.each([
    ['PUT', '/api/v1/files', 'GET, HEAD, POST'],
    ['PATCH', '/api/v1/auth/login', 'POST'],
    ['DELETE', '/health', 'GET, HEAD'],
    ['POST', '/api/v1/files/some-id', 'GET, HEAD, DELETE'],
    ['PUT', '/api/v1/files/bulk', 'GET, HEAD, POST, DELETE'],
  ])('%s %s answers 405 METHOD_NOT_ALLOWED with Allow: %s (not 404)', async (method, path, allow) => {
    const res = await server.api(path, { method });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe(allow);
    const body = (await res.json()) as ErrorBody;
    expect(body.error).toMatchObject({
      code: 'METHOD_NOT_ALLOWED',
      requestId: res.headers.get('x-request-id'),
      details: { allow: allow.split(', ') },
    });
    expect(body.error.message).toContain(method);
  });

  it('answers 405 without credentials too, and HEAD on a POST-only route gets it without a body', async () => {
    const res = await fetch(`${server.url}/api/v1/auth/login`, { method: 'GET' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    expect(((await res.json()) as ErrorBody).error.code).toBe('METHOD_NOT_ALLOWED');
    const head = await fetch(`${server.url}/api/v1/auth/login`, { method: 'HEAD' });
    expect(head.status).toBe(405);
    expect(head.headers.get('allow')).toBe('POST');
  });

  it('keeps 404 NOT_FOUND for a path no route has, under any method', async () => {
    for (const [method, path] of [
      ['GET', '/api/v1/nothing-here'],
      ['DELETE', '/api/v1/nothing-here'],
      ['DELETE', '/api/v1/health'],
      ['POST', '/api/v1/files/some-id/nothing'],
    ] as const) {
      const res = await server.api(path, { method });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.headers.get('allow')).toBeNull();
      expect(((await res.json()) as ErrorBody).error.code).toBe('NOT_FOUND');
    }
  });

  it('keeps 404 when the route for the method exists but finds nothing (an unknown web asset)', async () => {
    const res = await fetch(`${server.url}/assets/no-such-asset.js`);
    expect(res.status).toBe(404);
    expect(res.headers.get('allow')).toBeNull();
    expect(((await res.json()) as ErrorBody).error.code).toBe('NOT_FOUND');
  });
});

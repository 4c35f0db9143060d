/**
 * What the logs say about a request: one access line with its request id and status, and a
 * server error (5xx) logged once at level error with its cause — whether a route threw it or a
 * middleware answered it (the catalog unreachable while authenticating) — never a 4xx.
 */
import { Writable } from 'node:stream';
import { ErrorCode, FileForgeError } from '@fileforge/core';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { bearer, startAccessServer, stopAccessServers } from './support/access-server.js';

afterEach(stopAccessServers);

type Line = Record<string, unknown> & { level: number; msg: string; requestId?: string };

/** A server whose JSON log lines are collected. */
async function loggedServer() {
  const lines: Line[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const text of chunk.toString('utf8').split('\n')) if (text) lines.push(JSON.parse(text) as Line);
      done();
    },
  });
  const s = await startAccessServer({ server: { logger: pino({ level: 'info' }, sink) } });
  return { ...s, lines };
}

const ERROR = 50;
const linesOf = (lines: Line[], requestId: string | null) => lines.filter((l) => l.requestId === requestId);

describe('request and error logging', () => {
  it('a 503 answered by the authentication middleware (catalog unreachable) is logged once, with its request id and cause', async () => {
    const s = await loggedServer();
    s.server.auth.authenticate = () =>
      Promise.reject(
        new FileForgeError(ErrorCode.CATALOG_UNAVAILABLE, '[fileforge:catalog] Database is not answering', {
          cause: new Error('connect ECONNREFUSED 127.0.0.1:5432'),
        }),
      );
    const res = await fetch(`${s.url}/api/v1/files`, { headers: bearer('ff_anything') });
    expect(res.status).toBe(503);
    const requestId = res.headers.get('X-Request-Id');
    expect(requestId).toBeTruthy();
    await res.body?.cancel();

    const lines = linesOf(s.lines, requestId);
    expect(lines.filter((l) => l.msg === 'request')).toEqual([
      expect.objectContaining({ status: 503, method: 'GET', path: '/api/v1/files' }),
    ]);
    const errors = lines.filter((l) => l.level >= ERROR);
    expect(errors).toHaveLength(1);
    expect(JSON.stringify(errors[0])).toContain('ECONNREFUSED 127.0.0.1:5432');
  });

  it('a 500 thrown by a route is logged once at level error; a 4xx only by its access line', async () => {
    const s = await loggedServer();
    const admin = await s.server.auth.setup('admin@example.test', 'correct horse battery staple');
    const { key } = await s.server.auth.createApiKey(
      { kind: 'user', id: admin.id, userId: admin.id, tenant: admin.tenant, role: admin.role },
      { name: 'logs', role: 'admin' },
    );
    s.forge.files.list = () => Promise.reject(new TypeError('a bug in listing'));
    const failed = await fetch(`${s.url}/api/v1/files`, { headers: bearer(key) });
    expect(failed.status).toBe(500);
    const failedId = failed.headers.get('X-Request-Id');
    await failed.body?.cancel();
    const missing = await fetch(`${s.url}/api/v1/files/nope`, { headers: bearer(key) });
    expect(missing.status).toBe(404);
    const missingId = missing.headers.get('X-Request-Id');
    await missing.body?.cancel();

    const failedLines = linesOf(s.lines, failedId);
    expect(failedLines.filter((l) => l.msg === 'request')).toEqual([
      expect.objectContaining({ status: 500 }),
    ]);
    const errors = failedLines.filter((l) => l.level >= ERROR);
    expect(errors).toHaveLength(1);
    expect(JSON.stringify(errors[0])).toContain('a bug in listing');

    const missingLines = linesOf(s.lines, missingId);
    expect(missingLines.map((l) => [l.msg, l.status])).toEqual([['request', 404]]);
    expect(missingLines.every((l) => l.level < ERROR)).toBe(true);
  });
});

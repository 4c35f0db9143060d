import { ErrorCode, FileForgeError, TimeoutError } from '@fileforge/core';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createHealthFailures, healthFailureText } from './health-failures.js';

/** A Node system error as `net` or `fs` makes it: the path or address in the message. */
const systemError = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('healthFailureText', () => {
  it('names the component and the kind of failure, never the message', () => {
    const refused = new FileForgeError(
      ErrorCode.CATALOG_UNAVAILABLE,
      'PostgreSQL at db.internal:5432 refused',
      {
        cause: systemError('ECONNREFUSED', 'connect ECONNREFUSED 10.0.0.5:5432'),
      },
    );
    expect(healthFailureText('database', refused)).toBe('catalog unavailable: connection refused');
    expect(healthFailureText('database', new TimeoutError(5_000))).toBe('catalog unavailable: timed out');
    expect(
      healthFailureText('storage', systemError('EACCES', "EACCES: permission denied, open '/srv/uploads/x'")),
    ).toBe('storage unavailable: permission denied');
    expect(healthFailureText('storage', new Error('/srv/uploads is not writable'))).toBe(
      'storage unavailable',
    );
  });

  it('finds the kind behind an AggregateError (happy eyeballs) and an aborted fetch', () => {
    const both = new AggregateError([systemError('ECONNREFUSED', 'connect ECONNREFUSED ::1:6379')], '');
    expect(healthFailureText('redis', both)).toBe('redis unavailable: connection refused');
    const aborted = new Error('HeadBucket failed', { cause: new DOMException('aborted', 'TimeoutError') });
    expect(healthFailureText('storage', aborted)).toBe('storage unavailable: timed out');
  });

  it('ignores a non-error and a cyclic cause chain', () => {
    expect(healthFailureText('queue', 'boom at 10.0.0.5')).toBe('queue unavailable');
    const cyclic: Error & { cause?: unknown } = new Error('a');
    cyclic.cause = cyclic;
    expect(healthFailureText('webhooks', cyclic)).toBe('webhook outbox unavailable');
  });
});

describe('createHealthFailures', () => {
  it('logs a failure once while it lasts, again when its kind changes, and the recovery once', () => {
    const lines: { level: number; msg: string; component: string; err?: { message: string } }[] = [];
    const failures = createHealthFailures(
      pino({ level: 'info' }, { write: (l: string) => lines.push(JSON.parse(l)) }),
    );
    const storage = failures.of('storage');
    const refused = systemError('ECONNREFUSED', 'connect ECONNREFUSED 10.0.0.5:9000');

    for (let i = 0; i < 3; i++)
      expect(storage.failed(refused)).toBe('storage unavailable: connection refused');
    expect(failures.of('storage').failed(new TimeoutError(5_000))).toBe('storage unavailable: timed out');
    storage.passed();
    storage.passed();

    expect(lines.map((l) => [l.level, l.component, l.msg])).toEqual([
      [40, 'storage', 'health check failed: storage unavailable: connection refused'],
      [40, 'storage', 'health check failed: storage unavailable: timed out'],
      [30, 'storage', 'health check passes again'],
    ]);
    expect(lines[0]?.err?.message).toBe('connect ECONNREFUSED 10.0.0.5:9000');
  });
});

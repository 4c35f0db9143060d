import { describe, expect, it, vi } from 'vitest';
import { RequestAbort } from './request-abort.js';

describe('RequestAbort', () => {
  it('aborts once, keeping the first reason, and tells its listeners once', () => {
    const handle = new RequestAbort();
    const listener = vi.fn();
    handle.once('abort', listener);
    expect(handle.aborted).toBe(false);
    handle.abort('first');
    handle.abort('second');
    expect(handle.aborted).toBe(true);
    expect(handle.reason).toBe('first');
    expect(listener).toHaveBeenCalledTimes(1);
  });
});

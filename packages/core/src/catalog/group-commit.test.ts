import { afterEach, describe, expect, it, vi } from 'vitest';
import { createGroupCommit } from './group-commit.js';

/** A fake target that records what ran inside which transaction. */
function recorder(failOn?: string) {
  const log: string[] = [];
  let open: string[] | null = null;
  const handle = {
    async exec(what: string) {
      if (what === failOn) throw new Error(`${what} failed`);
      (open ?? log).push(open ? what : `direct:${what}`);
      return what;
    },
  };
  return {
    log,
    target: {
      direct: handle,
      async transaction<T>(fn: (h: typeof handle) => Promise<T>): Promise<T> {
        open = [];
        try {
          const result = await fn(handle);
          log.push(`commit:${open.join(',')}`);
          return result;
        } finally {
          open = null;
        }
      },
    },
  };
}

describe('createGroupCommit', () => {
  it('commits the changes asked for in one turn together and resolves each once committed', async () => {
    const { log, target } = recorder();
    const group = createGroupCommit(target);
    const results = await Promise.all(['a', 'b', 'c'].map((w) => group.write((h) => h.exec(w))));
    expect(results).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['commit:a,b,c']);
  });

  it('runs a one-statement change alone without a transaction', async () => {
    const { log, target } = recorder();
    const group = createGroupCommit(target);
    await group.write((h) => h.exec('a'), true);
    await group.write((h) => h.exec('b'));
    expect(log).toEqual(['direct:a', 'commit:b']);
  });

  it('fails only the change that failed: the others of its batch commit alone', async () => {
    const { log, target } = recorder('bad');
    const group = createGroupCommit(target);
    const outcomes = await Promise.allSettled(['a', 'bad', 'c'].map((w) => group.write((h) => h.exec(w))));
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(log).toEqual(['commit:a', 'commit:c']);
  });
});

describe('createGroupCommit with maxDelayMs', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('lets a change that can wait ride with the next change that cannot', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const { log, target } = recorder();
    const group = createGroupCommit(target);
    const late = group.write((h) => h.exec('outcome'), { maxDelayMs: 5 });
    await vi.advanceTimersByTimeAsync(2);
    expect(log).toEqual([]);
    const now = group.write((h) => h.exec('message'));
    expect(await Promise.all([late, now])).toEqual(['outcome', 'message']);
    expect(log).toEqual(['commit:outcome,message']);
  });

  it('commits changes that can wait together once the first of them is due', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const { log, target } = recorder();
    const group = createGroupCommit(target);
    let done = 0;
    const a = group.write((h) => h.exec('a'), { maxDelayMs: 10 }).then(() => done++);
    await vi.advanceTimersByTimeAsync(3);
    const b = group.write((h) => h.exec('b'), { maxDelayMs: 4 }).then(() => done++);
    await vi.advanceTimersByTimeAsync(3);
    expect(log).toEqual([]);
    expect(done).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    await Promise.all([a, b]);
    expect(log).toEqual(['commit:a,b']);
  });

  it('runs a delayed one-statement change alone without a transaction, once due', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const { log, target } = recorder();
    const group = createGroupCommit(target);
    const a = group.write((h) => h.exec('a'), { single: true, maxDelayMs: 2 });
    await vi.advanceTimersByTimeAsync(2);
    expect(await a).toBe('a');
    expect(log).toEqual(['direct:a']);
  });

  it('gathers changes that can wait while a batch commits, and commits them after it', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const { log, target } = recorder();
    const group = createGroupCommit(target);
    const first = group.write((h) => h.exec('a'));
    const later = group.write((h) => h.exec('b'), { maxDelayMs: 3 });
    await first;
    const last = group.write((h) => h.exec('c'), { maxDelayMs: 3 });
    await vi.advanceTimersByTimeAsync(3);
    await Promise.all([later, last]);
    expect(log).toEqual(['commit:a,b', 'commit:c']);
  });
});

import { describe, expect, it } from 'vitest';
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

import { describe, expect, it } from 'vitest';
import type { Processor } from './processor.js';
import { warmUpProcessors } from './processor.js';

const processor = (name: string, warmUp?: () => Promise<void>): Processor => ({
  name,
  extractMetadata: async () => ({}),
  ...(warmUp ? { warmUp } : {}),
});

describe('warmUpProcessors', () => {
  it('warms every processor that can, all at once, and waits for the slowest', async () => {
    const warmed: string[] = [];
    let release!: () => void;
    const slow = new Promise<void>((resolve) => {
      release = resolve;
    });
    const done = warmUpProcessors([
      processor('slow', async () => {
        await slow;
        warmed.push('slow');
      }),
      processor('plain'),
      processor('fast', async () => {
        warmed.push('fast');
      }),
    ]);
    let settled = false;
    void done.then(() => {
      settled = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(warmed).toEqual(['fast']);
    expect(settled).toBe(false);
    release();
    expect(await done).toEqual([]);
    expect(warmed).toEqual(['fast', 'slow']);
  });

  it('never rejects: it names each processor whose warm-up failed, with its error', async () => {
    const broken = new Error('codec missing');
    const failures = await warmUpProcessors([
      processor('image', async () => {
        throw broken;
      }),
      processor('text', async () => {}),
    ]);
    expect(failures).toEqual([{ processor: 'image', error: broken }]);
  });
});

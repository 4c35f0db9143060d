import { describe, expect, it } from 'vitest';
import { createSyncGate } from './sync-gate.js';

/** A clock that each call advances by the next of `steps` (ms), then stays. */
function steppingClock(steps: number[]) {
  let t = 0;
  return () => {
    t += steps.shift() ?? 0;
    return t;
  };
}

describe('createSyncGate', () => {
  it('stays open while calls are fast and answers what the call returns', () => {
    const gate = createSyncGate({ now: () => 0 });
    for (let i = 0; i < 1000; i++) expect(gate.run(() => i)).toBe(i);
    expect(gate.open).toBe(true);
  });

  it('stays open while most calls are fast, one in five slow (a busy machine)', () => {
    let t = 0;
    const gate = createSyncGate({ now: () => t });
    for (let i = 0; i < 800; i++) gate.run(() => (t += i % 5 === 0 ? 5 : 0.01));
    expect(gate.open).toBe(true);
  });

  it('closes for good once calls are often slow (a slow filesystem)', () => {
    let t = 0;
    const gate = createSyncGate({ now: () => t });
    for (let i = 0; i < 9; i++) gate.run(() => (t += 3));
    expect(gate.open).toBe(false);
    for (let i = 0; i < 100; i++) gate.run(() => (t += 0.01));
    expect(gate.open).toBe(false);
  });

  it('passes on what a call throws, and still counts it', () => {
    let t = 0;
    const gate = createSyncGate({ now: () => t });
    for (let i = 0; i < 9; i++) {
      expect(() =>
        gate.run(() => {
          t += 3;
          throw new Error('EACCES');
        }),
      ).toThrow('EACCES');
    }
    expect(gate.open).toBe(false);
  });

  it('starts closed when asked', () => {
    expect(createSyncGate({ closed: true }).open).toBe(false);
  });

  it('hands the event loop a turn once its calls held it for a slice', async () => {
    const gate = createSyncGate({ now: steppingClock([0, 3, 20]), sliceMs: 10 });
    expect(gate.pause()).toBeUndefined(); // 3 ms into the slice
    let turned = false;
    setImmediate(() => {
      turned = true;
    });
    const pause = gate.pause(); // 23 ms: a turn
    expect(pause).toBeInstanceOf(Promise);
    await pause;
    expect(turned).toBe(true);
  });
});

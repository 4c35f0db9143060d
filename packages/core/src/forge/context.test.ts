import { describe, expect, it } from 'vitest';
import { createId } from '../ids/id.js';
import { moveEventId } from '../sorter/move.js';
import { eventId, orderedEventId } from './context.js';

describe('event ids', () => {
  it('are stable: the same event gets the same id on every retry', () => {
    expect(orderedEventId('01abc', 'workflow.started', '1')).toBe(
      orderedEventId('01abc', 'workflow.started', '1'),
    );
    expect(moveEventId('01abc', 7)).toBe(moveEventId('01abc', 7));
    expect(eventId('x', 'file.processed')).toBe(eventId('x', 'file.processed'));
  });

  it('tell apart the events of one run, and of two runs', () => {
    const run = createId();
    const other = createId();
    const ids = new Set<string>();
    for (let seq = 1; seq <= 5000; seq++) ids.add(moveEventId(run, seq));
    for (let seq = 1; seq <= 5000; seq++) ids.add(moveEventId(other, seq));
    ids.add(orderedEventId(run, 'workflow.started', '1'));
    ids.add(orderedEventId(run, 'workflow.started', '2'));
    ids.add(orderedEventId(run, 'workflow.completed', '1'));
    expect(ids.size).toBe(10_003);
  });

  it("follow a run's moves in order, and a later run's after an earlier one's", () => {
    const earlier = createId(Date.UTC(2026, 0, 1));
    const later = createId(Date.UTC(2026, 0, 2));
    const ids = [1, 2, 35, 36, 1295, 1296, 50_000].map((seq) => moveEventId(earlier, seq));
    ids.push(moveEventId(later, 1));
    expect([...ids].sort()).toEqual(ids);
  });
});

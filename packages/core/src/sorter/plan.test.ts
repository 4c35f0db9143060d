import { describe, expect, it } from 'vitest';
import type { Occupant } from './conflict.js';
import { decide } from './decide.js';
import { parseRules } from './parse-rules.js';
import { planSort } from './plan.js';
import type { SortSubject } from './subject.js';
import { testSubject } from './test-subject.js';

const rules = (onConflict = 'rename_new') =>
  parseRules(`[{ id: docs, category: docs, destination: "docs/{name}{ext}", onConflict: ${onConflict} }]`);
const decideAll = (subjects: SortSubject[], onConflict?: string) =>
  Promise.all(subjects.map((s) => decide(s, rules(onConflict))));
const occupant = (path: string, id: string, sha = 'f'.repeat(64)): [string, Occupant] => [
  path,
  { path, id, sha256: sha },
];

describe('planSort', () => {
  it('two files racing for one destination both survive', async () => {
    const a = testSubject({ id: 'a', name: 'report.pdf', sha256: '1'.repeat(64) });
    const b = testSubject({ id: 'b', name: 'report.pdf', sha256: '2'.repeat(64) });
    const plan = planSort(await decideAll([a, b]), new Map());
    expect(plan.map((p) => [p.id, p.action, p.to])).toEqual([
      ['a', 'move', 'docs/report.pdf'],
      ['b', 'move', 'docs/report 2.pdf'],
    ]);
  });

  it('racing files survive even under overwrite, and identical content deduplicates', async () => {
    const a = testSubject({ id: 'a', name: 'r.pdf', sha256: '1'.repeat(64) });
    const b = testSubject({ id: 'b', name: 'r.pdf', sha256: '2'.repeat(64) });
    expect(planSort(await decideAll([a, b], 'overwrite'), new Map()).map((p) => p.to)).toEqual([
      'docs/r.pdf',
      'docs/r 2.pdf',
    ]);
    const twin = testSubject({ id: 'c', name: 'r.pdf', sha256: '1'.repeat(64) });
    expect(planSort(await decideAll([a, twin], 'deduplicate'), new Map()).map((p) => p.action)).toEqual([
      'move',
      'deduplicate',
    ]);
  });

  it('never overwrites, sets aside or trashes a file in the way that the plan moves on: the newcomer gets a numbered name', async () => {
    const chainRules = (mode: string) =>
      parseRules(`
- { id: a, conditions: [{ field: name, op: eq, value: a.txt }], destination: "b.txt", onConflict: ${mode} }
- { id: b, conditions: [{ field: name, op: eq, value: b.txt }], destination: "c.txt" }
`);
    for (const mode of ['overwrite', 'trash', 'rename_existing']) {
      const a = testSubject({ id: 'a', name: 'a.txt', sha256: '1'.repeat(64) });
      const b = testSubject({ id: 'b', name: 'b.txt', sha256: '2'.repeat(64) });
      const decisions = await Promise.all([a, b].map((s) => decide(s, chainRules(mode))));
      const occupied = new Map([occupant('a.txt', 'a', a.sha256), occupant('b.txt', 'b', b.sha256)]);
      const plan = planSort(decisions, occupied);
      expect(plan.map((p) => [p.id, p.action, p.from, p.to, p.displaced ?? null])).toEqual([
        ['a', 'move', 'a.txt', 'b 2.txt', null],
        ['b', 'move', 'b.txt', 'c.txt', null],
      ]);
    }
  });

  it('resolves against files already there and against numbered names taken', async () => {
    const occupied = new Map([occupant('docs/r.pdf', 'x'), occupant('docs/r 2.pdf', 'y')]);
    const [item] = planSort(await decideAll([testSubject({ id: 'a', name: 'r.pdf' })]), occupied);
    expect(item).toMatchObject({ action: 'move', to: 'docs/r 3.pdf', from: null });
  });

  it('rename_existing and trash account for where the occupant goes', async () => {
    const occupied = new Map([occupant('docs/r.pdf', 'x')]);
    const [a, b] = await decideAll(
      [testSubject({ id: 'a', name: 'r.pdf' }), testSubject({ id: 'b', name: 'r.pdf' })],
      'rename_existing',
    );
    const plan = planSort([a!, b!], occupied);
    expect(plan[0]).toMatchObject({
      action: 'rename_existing',
      to: 'docs/r.pdf',
      displaced: { path: 'docs/r.pdf', to: 'docs/r 2.pdf' },
    });
    // b must not displace a (planned in this run): it gets the next free name.
    expect(plan[1]).toMatchObject({ action: 'move', to: 'docs/r 3.pdf' });
    const [t] = planSort(await decideAll([testSubject({ id: 'a', name: 'r.pdf' })], 'trash'), occupied);
    expect(t).toMatchObject({ action: 'trash', displaced: { path: 'docs/r.pdf', to: '.trash/docs/r.pdf' } });
  });

  it('skip leaves the file where it is', async () => {
    const [item] = planSort(
      await decideAll([testSubject({ id: 'a', name: 'r.pdf' })], 'skip'),
      new Map([occupant('docs/r.pdf', 'x')]),
    );
    expect(item).toMatchObject({ action: 'skip', reason: 'destination occupied; skipped' });
  });

  it('says none for files already in place or without destination', async () => {
    const here = testSubject({ id: 'a', name: 'r.pdf' });
    const [inPlace] = planSort(await decideAll([here]), new Map([occupant('docs/r.pdf', 'a')]));
    expect(inPlace).toMatchObject({
      action: 'none',
      reason: 'already in place',
      from: 'docs/r.pdf',
      to: 'docs/r.pdf',
    });
    const unmatched = await decide(
      here,
      parseRules('{ id: png, conditions: [{ field: ext, op: eq, value: png }] }'),
    );
    expect(planSort([unmatched], new Map())[0]).toMatchObject({
      action: 'none',
      to: null,
      reason: 'no rule matched',
    });
  });

  it('a path a file leaves is free for the files after it', async () => {
    const occupied = new Map([occupant('docs/b.pdf', 'a')]);
    const a = testSubject({ id: 'a', name: 'a.pdf' });
    const b = testSubject({ id: 'b', name: 'b.pdf' });
    const plan = planSort(await decideAll([a, b]), occupied);
    expect(plan.map((p) => [p.from, p.to])).toEqual([
      ['docs/b.pdf', 'docs/a.pdf'],
      [null, 'docs/b.pdf'],
    ]);
  });
});

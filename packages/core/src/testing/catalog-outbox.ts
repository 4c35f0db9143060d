import { expect, it } from 'vitest';
import type { Catalog, OutboxAppend } from '../catalog/index.js';
import type { FileRecord } from '../model/index.js';
import { sampleFile } from './samples.js';

const entry = (file: FileRecord, type = 'file.uploaded', id = `evt_${type}_${file.id}`): OutboxAppend => ({
  id,
  type,
  stream: `${file.tenant}/${file.id}`,
  payload: { eventId: id, tenant: file.tenant, file, timestamp: file.createdAt },
  createdAt: file.createdAt,
});

/** Outbox cases of the catalog conformance suite. Registered inside `describeCatalog`. */
export function outboxCases(current: () => Catalog): void {
  it('commits a state change and the event it causes together, or neither', async () => {
    const catalog = current();
    const file = sampleFile();
    await expect(
      catalog.transaction(async (tx) => {
        await tx.files.insert(file, { shareBlob: true });
        await tx.outbox.append(entry(file));
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await catalog.files.get('default', file.id)).toBeNull();
    expect(await catalog.outbox.countUndelivered()).toBe(0);

    const stored = await catalog.transaction(async (tx) => {
      const inserted = await tx.files.insert(file, { shareBlob: true });
      await tx.outbox.append(entry(inserted));
      return inserted;
    });
    expect(stored).toEqual(file);
    expect(await catalog.files.get('default', file.id)).toEqual(file);
    const [appended] = await catalog.outbox.listUndelivered({ limit: 10 });
    expect(appended).toMatchObject({
      id: `evt_file.uploaded_${file.id}`,
      type: 'file.uploaded',
      stream: `default/${file.id}`,
      attempts: 0,
      nextAttemptAt: null,
      deliveredAt: null,
    });
    expect(appended?.payload).toEqual(entry(file).payload);

    await catalog.transaction(async (tx) => {
      const gone = await tx.files.delete('default', file.id);
      if (gone) await tx.outbox.append(entry(gone.record, 'file.deleted'));
    });
    expect(await catalog.files.get('default', file.id)).toBeNull();
    expect((await catalog.outbox.listUndelivered({ limit: 10 })).map((e) => e.type)).toEqual([
      'file.uploaded',
      'file.deleted',
    ]);
  });

  it('lists undelivered events in order, keeps one entry per id, defers, marks and prunes', async () => {
    const { outbox } = current();
    const [a, b] = [sampleFile(), sampleFile()];
    const [e1, e2, e3] = [entry(a), entry(b), entry(a, 'file.processed')];
    for (const e of [e1, e2, e3]) expect(await outbox.append(e)).toBe(true);
    expect(await outbox.append({ ...e1, payload: { other: true } })).toBe(false);
    const listed = await outbox.listUndelivered({ limit: 10 });
    expect(listed.map((e) => e.id)).toEqual([e1.id, e2.id, e3.id]);
    expect(listed[0]?.payload).toEqual(e1.payload);
    const [s1, s2, s3] = listed.map((e) => e.seq) as [number, number, number];
    expect(s1 < s2 && s2 < s3).toBe(true);
    expect((await outbox.listUndelivered({ afterSeq: s1, limit: 1 })).map((e) => e.id)).toEqual([e2.id]);

    await outbox.deferDelivery(s2, {
      attempts: 1,
      nextAttemptAt: '2030-01-01T00:00:01.000Z',
      lastError: 'boom',
    });
    expect((await outbox.listUndelivered({ limit: 10 }))[1]).toMatchObject({
      attempts: 1,
      nextAttemptAt: '2030-01-01T00:00:01.000Z',
      lastError: 'boom',
    });
    await outbox.markDelivered([s1], '2030-01-01T00:00:01.000Z');
    await outbox.markDelivered([s2], '2030-01-01T00:00:02.000Z', 'given up');
    await outbox.markDelivered([s3], '2030-01-01T00:00:03.000Z');
    expect(await outbox.countUndelivered()).toBe(0);
    expect(await outbox.listUndelivered({ limit: 10 })).toEqual([]);
    expect(await outbox.prune('2030-01-01T00:00:02.000Z')).toBe(1);
    expect(await outbox.prune('2031-01-01T00:00:00.000Z')).toBe(2);
    // A pruned id may be appended again (a change retried after the retention period).
    expect(await outbox.append(e1)).toBe(true);
  });

  it('claims entries for one dispatcher at a time, each stream in order, until the claim expires', async () => {
    const { outbox } = current();
    const [a, b] = [sampleFile(), sampleFile()];
    const [a1, b1, a2, a3] = [entry(a), entry(b), entry(a, 'file.processed'), entry(a, 'file.deleted')];
    for (const e of [a1, b1, a2, a3]) await outbox.append(e);
    const at = (s: number) => new Date(Date.parse('2030-01-01T00:00:00.000Z') + s * 1000).toISOString();
    const claim = (owner: string, s: number, limit = 10) =>
      outbox.claim({ owner, now: at(s), until: at(s + 60), limit }).then((l) => l.map((e) => e.id));

    // In seq order, up to the limit; the claim is recorded.
    expect(await claim('x', 0, 2)).toEqual([a1.id, b1.id]);
    expect((await outbox.listUndelivered({ limit: 10 }))[0]).toMatchObject({
      id: a1.id,
      claimedBy: 'x',
      claimedUntil: at(60),
    });
    // Held by x: nothing of those, nor of a's later entries, for another dispatcher.
    expect(await claim('y', 1)).toEqual([]);
    // Once a1 is delivered, a's next entries are free.
    const seqOf = async (id: string) =>
      (await outbox.listUndelivered({ limit: 10 })).find((e) => e.id === id)!.seq;
    await outbox.markDelivered([await seqOf(a1.id)], at(1));
    expect(await claim('y', 1)).toEqual([a2.id, a3.id]);
    // An entry waiting for its retry is claimed by nobody, its owner included, and holds back its stream.
    await outbox.deferDelivery(await seqOf(b1.id), { attempts: 1, nextAttemptAt: at(30), lastError: 'boom' });
    const b2 = entry(b, 'file.processed');
    await outbox.append(b2);
    expect(await claim('x', 2)).toEqual([]);
    expect(await claim('z', 2)).toEqual([]);
    // Due, but x's claim still holds it.
    expect(await claim('y', 31)).toEqual([a2.id, a3.id]);
    // x's claim over: y takes it, with its own claims again (renewed).
    expect(await claim('y', 61)).toEqual([b1.id, a2.id, a3.id, b2.id]);
    // After y's claims expire (y stopped), another dispatcher takes them.
    expect(await claim('z', 120)).toEqual([]);
    expect(await claim('z', 121)).toEqual([b1.id, a2.id, a3.id, b2.id]);
    expect((await outbox.listUndelivered({ limit: 10 })).map((e) => e.claimedBy)).toEqual([
      'z',
      'z',
      'z',
      'z',
    ]);
    // Delivered entries are never claimed again.
    await outbox.markDelivered(
      [await seqOf(a2.id), await seqOf(a3.id), await seqOf(b1.id), await seqOf(b2.id)],
      at(122),
    );
    expect(await claim('x', 200)).toEqual([]);
  });

  it('hands every entry to one of several dispatchers claiming at once, a stream to one at a time', async () => {
    const { outbox } = current();
    const files = Array.from({ length: 5 }, () => sampleFile());
    const types = ['file.uploaded', 'file.processed', 'file.classified', 'file.sorted'];
    for (const type of types) for (const file of files) await outbox.append(entry(file, type));
    const now = new Date().toISOString();
    const until = new Date(Date.now() + 60_000).toISOString();
    const claims = await Promise.all(
      ['p1', 'p2', 'p3', 'p4'].map((owner) => outbox.claim({ owner, now, until, limit: 3 })),
    );
    const claimed = claims.flat();
    expect(new Set(claimed.map((e) => e.seq)).size).toBe(claimed.length);
    expect(claimed.length).toBeGreaterThan(0);
    const stored = await outbox.listUndelivered({ limit: 100 });
    for (const file of files) {
      const stream = stored.filter((e) => e.stream === `${file.tenant}/${file.id}`);
      const owners = new Set(stream.map((e) => e.claimedBy).filter((o) => o !== null));
      // One dispatcher per stream, and what it holds is the stream's beginning.
      expect(owners.size).toBeLessThanOrEqual(1);
      const held = stream.map((e) => e.claimedBy !== null);
      expect(held).toEqual([...held].sort((x, y) => Number(y) - Number(x)));
    }
    for (const [i, list] of claims.entries()) {
      expect(list.map((e) => e.seq)).toEqual(list.map((e) => e.seq).sort((x, y) => x - y));
      for (const e of list) expect(e.claimedBy).toBe(`p${i + 1}`);
    }
  });
}

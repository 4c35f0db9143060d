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
}

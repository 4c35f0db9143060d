import { buffer } from 'node:stream/consumers';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { ingestProcessed, useForge } from '../../test/forge.js';
import { createOperationRegistry } from './registry.js';

describe('forge.runStep with a processors operation (issue 8)', () => {
  const forge = useForge();

  it('runs image.thumbnail on a stored file and stores the derivative it makes', async () => {
    const png = await sharp({ create: { width: 800, height: 400, channels: 3, background: '#3366cc' } })
      .png()
      .toBuffer();
    const record = await ingestProcessed(forge(), png, { name: 'wide.png' });
    const thumbnail = createOperationRegistry().get('image.thumbnail')!;

    const outcome = await forge().runStep(thumbnail, record.id, { size: 100, format: 'png' });
    expect(outcome.derivatives).toHaveLength(1);
    const [stored] = outcome.derivatives;
    expect(stored).toMatchObject({ fileId: record.id, mime: 'image/png', width: 100, height: 50 });

    const listed = await forge().files.derivatives(record.id);
    expect(listed.map((d) => d.name)).toContain(stored!.name);
    const { stream } = await forge().files.openDerivative(record.id, stored!.name);
    expect(await sharp(await buffer(stream)).metadata()).toMatchObject({
      width: 100,
      height: 50,
      format: 'png',
    });
  });

  it('refuses bad options before storing anything', async () => {
    const record = await ingestProcessed(forge(), 'plain text', { name: 'a.txt' });
    const before = await forge().files.derivatives(record.id);
    const thumbnail = createOperationRegistry().get('image.thumbnail')!;
    await expect(forge().runStep(thumbnail, record.id, { size: 0 })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    expect(await forge().files.derivatives(record.id)).toEqual(before);
  });
});

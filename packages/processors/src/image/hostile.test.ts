import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { type DerivativeOutput, FileForgeError, type Forge } from '@fileforge/core';
import {
  corruptBodyPng,
  headerOnlyPng,
  inspect,
  noisyJpeg,
  pixelFloodPng,
  solid,
} from '@fileforge/test-fixtures/images';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestProcessed, useForge } from '../../test/forge.js';
import { processorContext, processorFile } from '../../test/processor-file.js';
import { createImageProcessor } from './processor.js';

async function allDerivativeBytes(forge: Forge, id: string): Promise<Buffer[]> {
  const list = await forge.files.derivatives(id);
  return Promise.all(list.map(async (d) => buffer((await forge.files.openDerivative(id, d.name)).stream)));
}

async function previewSha(forge: Forge, svg: string, name: string): Promise<string | undefined> {
  const record = await ingestProcessed(forge, svg, { name });
  expect(record.status, name).toBe('processed');
  return (await forge.files.derivatives(record.id)).find((d) => d.name === 'preview.png')?.sha256;
}

const SVG_HEAD = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"';

describe('image processor on hostile input', () => {
  const forge = useForge(() => ({ processors: [createImageProcessor()] }));

  /**
   * Ingests `content` through the forge and expects it rejected for `reason` with nothing
   * derived; `ms` is the time the processor alone took to refuse it (run outside the forge,
   * so that ingest and queue overhead on a busy machine do not blur the measurement).
   */
  async function expectRejected(content: Buffer | string, name: string, reason: string) {
    const record = await ingestProcessed(forge(), content, { name });
    expect(record.status, name).toBe('rejected');
    expect(record.error?.code).toBe('CONTENT_REJECTED');
    expect(record.error?.details).toMatchObject({ reason, processor: 'image' });
    expect(await forge().files.derivatives(record.id)).toEqual([]);
    const bytes = typeof content === 'string' ? Buffer.from(content) : content;
    const started = performance.now();
    const error = await createImageProcessor()
      .process?.(processorFile(bytes, { mime: record.mime }), processorContext())
      .catch((e: unknown) => e);
    const ms = performance.now() - started;
    expect(FileForgeError.is(error) && error.details?.reason).toBe(reason);
    return { record, ms };
  }

  it('rejects a pixel flood from its header, before decoding it', async () => {
    const flood = pixelFloodPng(10_000, 10_000);
    expect(flood.length).toBeLessThan(20_000);
    const { record, ms } = await expectRejected(flood, 'flood.png', 'image_too_many_pixels');
    expect(record.error?.details).toMatchObject({ width: 10_000, height: 10_000, limit: 40_000_000 });
    expect(ms).toBeLessThan(10_000); // generous bound: decoding 100 MP would take far longer
  });

  it('rejects a header-only PNG claiming 65535×65535 at once', async () => {
    const noData = headerOnlyPng(65_535, 65_535);
    expect(noData.length).toBeLessThan(64);
    const first = await expectRejected(noData, 'header.png', 'image_corrupt');
    expect(first.ms).toBeLessThan(10_000); // generous: an unguarded decode of this header takes ~17 s
    // With an (empty) IDAT the header reads cleanly, and the size is what gets it refused.
    const second = await expectRejected(
      headerOnlyPng(65_535, 65_535, true),
      'header2.png',
      'image_too_many_pixels',
    );
    expect(second.ms).toBeLessThan(10_000);
  });

  it('rejects a PNG whose header is intact but whose pixel data is corrupt (issue 8)', async () => {
    const png = await corruptBodyPng();
    // The header is fine: size and format read without complaint.
    expect(await inspect(png)).toMatchObject({ format: 'png', width: 640, height: 480 });
    const { record } = await expectRejected(png, 'broken.png', 'image_corrupt');
    expect(record.mime).toBe('image/png');
    expect(record.error?.message).toBeTruthy();
  });

  it('rejects a truncated JPEG as corrupt', async () => {
    const jpeg = await noisyJpeg();
    await expectRejected(jpeg.subarray(0, jpeg.length >> 1), 'half.jpg', 'image_corrupt');
  });

  it('keeps a PNG with an appended script byte for byte but derives only clean pixels', async () => {
    const polyglot = Buffer.concat([await solid(64, 64, 'png'), Buffer.from('<script>alert(1)</script>')]);
    const record = await ingestProcessed(forge(), polyglot, { name: 'polyglot.png' });
    expect(record.status).toBe('processed');
    const original = await buffer((await forge().files.open(record.id)).stream);
    expect(original.equals(polyglot)).toBe(true);
    const derived = await allDerivativeBytes(forge(), record.id);
    expect(derived).toHaveLength(1);
    for (const bytes of derived) expect(bytes.includes('<script')).toBe(false);
  });

  describe('SVG', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'fileforge-svg-'));
      await writeFile(join(dir, 'secret.txt'), 'LEAKED SECRET');
      await writeFile(join(dir, 'entities.dtd'), '<!ENTITY secret "LEAKED SECRET">');
      await writeFile(join(dir, 'pixel.png'), await solid(100, 100, 'png', '#ff00ff'));
      await writeFile(join(dir, 'evil.css'), 'rect { fill: #ff0000 !important; } svg { background: #00f; }');
    });
    afterAll(() => rm(dir, { recursive: true, force: true }));

    const drawing = '<rect x="10" y="10" width="80" height="30" fill="#0a0"/>';
    const clean = `${SVG_HEAD} width="200" height="100">${drawing}</svg>`;

    it('rasterises a drawing to preview.png and a thumbnail', async () => {
      const record = await ingestProcessed(forge(), clean, { name: 'clean.svg' });
      expect(record.mime).toBe('image/svg+xml');
      expect(record.status).toBe('processed');
      expect(record.metadata.image).toMatchObject({ format: 'svg', width: 200, height: 100 });
      const list = await forge().files.derivatives(record.id);
      expect(list.map((d) => [d.name, d.kind, d.mime, d.width, d.height]).sort()).toEqual([
        ['preview.png', 'preview', 'image/png', 1024, 512],
        ['thumbnail-256.webp', 'thumbnail', 'image/webp', 256, 128],
      ]);
    });

    it('renders scripts and event handlers as nothing and stores no markup', async () => {
      const scripted = `${SVG_HEAD} width="200" height="100" onload="alert(1)"><script>alert(document.cookie)</script>${drawing}<foreignObject width="10" height="10"><iframe xmlns="http://www.w3.org/1999/xhtml" src="javascript:alert(1)"/></foreignObject></svg>`;
      const record = await ingestProcessed(forge(), scripted, { name: 'script.svg' });
      expect(record.status).toBe('processed');
      for (const bytes of await allDerivativeBytes(forge(), record.id)) {
        expect(bytes.includes('<script')).toBe(false);
        expect(bytes.includes('alert')).toBe(false);
      }
      expect(await previewSha(forge(), scripted, 'script2.svg')).toBe(
        await previewSha(forge(), clean, 'c.svg'),
      );
    });

    it('loads no external file: images, XInclude and stylesheets resolve to nothing', async () => {
      const text = (body: string) =>
        `${SVG_HEAD} width="200" height="100">${drawing}<text x="10" y="80">${body}</text></svg>`;
      const reference = await previewSha(forge(), text(''), 'empty.svg');
      // Control: text that does render changes the picture, so equal hashes below mean "nothing included".
      expect(await previewSha(forge(), text('LEAKED SECRET'), 'literal.svg')).not.toBe(reference);
      const include = text(
        `<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="file://${dir}/secret.txt" parse="text"/>`,
      );
      expect(await previewSha(forge(), include, 'xinclude.svg')).toBe(reference);
      const image = `${SVG_HEAD} width="200" height="100">${drawing}<text x="10" y="80"></text><image href="file://${dir}/pixel.png" width="200" height="100"/><image xlink:href="${dir}/pixel.png" width="200" height="100"/></svg>`;
      expect(await previewSha(forge(), image, 'image.svg')).toBe(reference);
      const css = `${SVG_HEAD} width="200" height="100"><style>@import url("file://${dir}/evil.css");</style>${drawing}<text x="10" y="80"></text></svg>`;
      expect(await previewSha(forge(), css, 'css.svg')).toBe(reference);
    });

    it('rejects an external entity (XXE) without reading the file', async () => {
      const xxe = `<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${SVG_HEAD} width="400" height="100"><text x="0" y="50">&xxe;</text></svg>`;
      const { record } = await expectRejected(xxe, 'xxe.svg', 'svg_dtd');
      expect(JSON.stringify(record.error)).not.toContain('root:');
    });

    it('rejects a billion-laughs document in well under a second', async () => {
      const lol = [
        '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "lol">',
        ...Array.from(
          { length: 9 },
          (_, i) =>
            `<!ENTITY ${String.fromCharCode(98 + i)} "${`&${String.fromCharCode(97 + i)};`.repeat(10)}">`,
        ),
        `]>${SVG_HEAD} width="10" height="10"><text>&j;</text></svg>`,
      ].join('');
      const { ms } = await expectRejected(lol, 'lol.svg', 'svg_dtd');
      expect(ms).toBeLessThan(10_000);
    });

    it('never loads an external DTD, so its entities stay undefined', async () => {
      const external = `<?xml version="1.0"?><!DOCTYPE svg SYSTEM "file://${dir}/entities.dtd">${SVG_HEAD} width="400" height="100"><text x="0" y="50">&secret;</text></svg>`;
      const { record } = await expectRejected(external, 'ext.svg', 'image_corrupt');
      expect(JSON.stringify(record.error)).not.toContain('LEAKED');
    });

    it('accepts the ordinary public SVG 1.1 doctype that editors write', async () => {
      const withDoctype = `<?xml version="1.0"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">${clean}`;
      const record = await ingestProcessed(forge(), withDoctype, { name: 'doctype.svg' });
      expect(record.status).toBe('processed');
    });

    it('rejects an SVG declaring a huge canvas by its pixel count', async () => {
      const huge = `${SVG_HEAD} width="100000" height="100000"></svg>`;
      await expectRejected(huge, 'huge.svg', 'image_too_many_pixels');
    });

    it('rejects an SVG whose declared encoding could hide markup', async () => {
      const utf7 = `<?xml version="1.0" encoding="UTF-7"?>${clean}`;
      await expectRejected(utf7, 'utf7.svg', 'svg_encoding');
    });
  });
});

describe('image processor limits', () => {
  const forge = useForge(() => ({
    processors: [createImageProcessor({ maxPixels: 10_000, maxDimension: 150, maxSvgBytes: 2_000 })],
  }));

  it('accepts an image of exactly maxPixels and rejects one pixel row more', async () => {
    const atCap = await ingestProcessed(forge(), await solid(100, 100, 'png'), { name: 'cap.png' });
    expect(atCap.status).toBe('processed');
    const over = await ingestProcessed(forge(), await solid(101, 100, 'png'), { name: 'over.png' });
    expect(over.status).toBe('rejected');
    expect(over.error?.details).toMatchObject({
      reason: 'image_too_many_pixels',
      width: 101,
      height: 100,
      limit: 10_000,
    });
  });

  it('rejects a side longer than maxDimension even under the pixel cap', async () => {
    const strip = await ingestProcessed(forge(), await solid(151, 10, 'png'), { name: 'strip.png' });
    expect(strip.error?.details).toMatchObject({
      reason: 'image_too_many_pixels',
      width: 151,
      maxDimension: 150,
    });
  });

  it('rejects an SVG larger than maxSvgBytes before parsing it', async () => {
    const big = `<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><!-- ${'x'.repeat(3_000)} --></svg>`;
    const record = await ingestProcessed(forge(), big, { name: 'big.svg' });
    expect(record.error?.details).toMatchObject({ reason: 'input_too_large', limit: 2_000 });
  });
});

describe('image processor without a local path', () => {
  const derivatives: DerivativeOutput[] = [];
  const context = {
    ...processorContext(),
    addDerivative: async (output: DerivativeOutput) => {
      derivatives.push(output);
      return {} as never;
    },
  };

  it('reads the content from the stream instead', async () => {
    const png = await solid(300, 150, 'png');
    const result = await createImageProcessor().process?.(processorFile(png, { mime: 'image/png' }), context);
    expect(result?.metadata).toMatchObject({ width: 300, height: 150 });
    expect(derivatives.map((d) => [d.name, d.width, d.height])).toEqual([['thumbnail-256.webp', 256, 128]]);
  });

  it('refuses more bytes than maxInputBytes', async () => {
    const png = await solid(300, 150, 'png');
    const processor = createImageProcessor({ maxInputBytes: 100 });
    const error = await processor
      .process?.(processorFile(png, { mime: 'image/png' }), context)
      .catch((e) => e);
    expect(FileForgeError.is(error) && error.details).toMatchObject({
      reason: 'input_too_large',
      limit: 100,
    });
  });
});

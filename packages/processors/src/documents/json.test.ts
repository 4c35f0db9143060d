import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ingestProcessed, useForge } from '../../test/forge.js';
import { processorContext, processorFile } from '../../test/processor-file.js';
import { createCsvProcessor } from './csv.js';
import { createJsonProcessor, type JsonMetadata, type JsonProcessorOptions } from './json.js';
import { createPdfProcessor } from './pdf.js';

const jsonOf = (metadata: Record<string, unknown>) => metadata.json as JsonMetadata;

/** Runs the processor on text without a forge, e.g. to force the streaming path. */
async function scan(
  text: string,
  options: JsonProcessorOptions = {},
  name = 'data.json',
): Promise<JsonMetadata> {
  const processor = createJsonProcessor(options);
  const file = processorFile(Buffer.from(text), { name });
  return (await processor.extractMetadata?.(file, processorContext())) as JsonMetadata;
}

const STREAM = { streamThreshold: 0 };

describe('createJsonProcessor', () => {
  const forge = useForge(() => ({
    processors: [createPdfProcessor(), createCsvProcessor(), createJsonProcessor()],
  }));

  it('lists the top-level keys of an object', async () => {
    const json = JSON.stringify({ id: 7, customer: { name: 'Ada' }, items: [1, 2], paid: true });
    const record = await ingestProcessed(forge(), json, { name: 'order.json' });
    expect(record.status).toBe('processed');
    expect(jsonOf(record.metadata)).toEqual({
      valid: true,
      type: 'object',
      keys: ['id', 'customer', 'items', 'paid'],
      keyCount: 4,
      encoding: 'utf-8',
      streamed: false,
    });
  });

  it('reads JSON in UTF-16 without a byte order mark (issue 9)', async () => {
    const wide = Buffer.from('{"name":"Zoë","tags":["a","b"]}', 'utf16le');
    const record = await ingestProcessed(forge(), wide, { name: 'wide.json' });
    expect(record.mime).toBe('application/json');
    expect(jsonOf(record.metadata)).toMatchObject({
      valid: true,
      type: 'object',
      keys: ['name', 'tags'],
      encoding: 'utf-16le',
    });
  });

  it('gives the length and element types of an array', async () => {
    const record = await ingestProcessed(forge(), '[{"a":1},{"a":2},{"a":3},null]', { name: 'list.json' });
    expect(jsonOf(record.metadata)).toMatchObject({
      valid: true,
      type: 'array',
      length: 4,
      elementTypes: ['object', 'null'],
    });
  });

  it('processes invalid JSON with valid: false and the error position', async () => {
    const record = await ingestProcessed(forge(), '{"a": 1, "b": tru}', { name: 'broken.json' });
    expect(record.status).toBe('processed');
    const meta = jsonOf(record.metadata);
    expect(meta).toMatchObject({ valid: false, position: 17 });
    expect(meta.valid === false && meta.error).toMatch(/unexpected/i);
  });

  it('reports nesting beyond maxDepth as valid: false, depth limit', async () => {
    const deep = `${'['.repeat(300)}${']'.repeat(300)}`;
    const record = await ingestProcessed(forge(), deep, { name: 'deep.json' });
    expect(record.status).toBe('processed');
    expect(jsonOf(record.metadata)).toMatchObject({ valid: false, error: 'depth limit', position: 256 });
    // Exactly maxDepth levels are fine.
    expect(await scan(`${'['.repeat(256)}${']'.repeat(256)}`)).toMatchObject({ valid: true, type: 'array' });
  });

  it('scans a large file as a stream with the same answers', async () => {
    async function* generate() {
      yield '[';
      for (let i = 0; i < 50_000; i++) yield `${i ? ',' : ''}{"id":${i},"tags":["a","b"],"note":"row ${i}"}`;
      yield ']';
    }
    const { id } = await forge().ingest(Readable.from(generate()), { name: 'big.json' });
    await forge().queue.onIdle();
    const record = await forge().files.get(id);
    expect(jsonOf(record?.metadata ?? {})).toMatchObject({
      valid: true,
      type: 'array',
      length: 50_000,
      elementTypes: ['object'],
      streamed: true,
    });
  }, 30_000);

  it('counts NDJSON records', async () => {
    const record = await ingestProcessed(forge(), '{"a":1}\n{"a":2}\n\n[3]\n', { name: 'events.ndjson' });
    expect(jsonOf(record.metadata)).toMatchObject({
      valid: true,
      type: 'ndjson',
      length: 3,
      elementTypes: ['object', 'array'],
    });
  });
});

describe('JSON scanning (the streaming path)', () => {
  it('describes objects, arrays and scalars like JSON.parse does', async () => {
    expect(await scan('{"a":{"b":[1,{"c":2}]},"d":"x","a2":null}', STREAM)).toMatchObject({
      valid: true,
      type: 'object',
      keys: ['a', 'd', 'a2'],
      keyCount: 3,
    });
    expect(await scan('[1, "x", [2], {}, true, 3]', STREAM)).toMatchObject({
      type: 'array',
      length: 6,
      elementTypes: ['number', 'string', 'array', 'object', 'boolean'],
    });
    expect(await scan('[]', STREAM)).toMatchObject({ valid: true, type: 'array', length: 0 });
    expect(await scan('{}', STREAM)).toMatchObject({ valid: true, type: 'object', keys: [], keyCount: 0 });
    expect(await scan(' 42 ', STREAM)).toMatchObject({ valid: true, type: 'number' });
    expect(await scan('"str"', STREAM)).toMatchObject({ valid: true, type: 'string' });
  });

  it('finds grammar errors with their byte position', async () => {
    const cases: Array<[string, number]> = [
      ['{"a" 1}', 5],
      ['[1,]', 3],
      ['[1 2]', 3],
      ['{"a":1} x', 8],
      ['{"a":1}{}', 7],
      ['{1:2}', 1],
      ['[1,2', 4],
      ['{"é":x}', 6],
    ];
    for (const [text, position] of cases) {
      for (const options of [{}, STREAM]) {
        expect(await scan(text, options), `${text} ${JSON.stringify(options)}`).toMatchObject({
          valid: false,
          position,
        });
      }
    }
    expect(await scan('   ', STREAM)).toMatchObject({ valid: false, error: 'empty document' });
  });

  it('stops at the depth limit without building anything', async () => {
    const bomb = '{"a":'.repeat(100_000);
    expect(await scan(bomb, { ...STREAM, maxDepth: 256 })).toMatchObject({
      valid: false,
      error: 'depth limit',
    });
    expect(await scan(bomb, { maxDepth: 256 })).toMatchObject({ valid: false, error: 'depth limit' });
  });

  it('treats brackets inside strings as text when checking depth', async () => {
    expect(await scan(JSON.stringify({ s: '[[[[[[' }), { maxDepth: 1 })).toMatchObject({ valid: true });
  });

  it('rejects text that is not UTF-8 as invalid', async () => {
    const processor = createJsonProcessor();
    const file = processorFile(Buffer.from([0x7b, 0x22, 0xe9, 0x22, 0x3a, 0x31, 0x7d]), { name: 'x.json' });
    expect(await processor.extractMetadata?.(file, processorContext())).toMatchObject({
      valid: false,
      error: 'not UTF-8 text',
    });
  });
});

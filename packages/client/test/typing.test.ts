/**
 * Compile-time checks of the client's types: `npm run typecheck` (which includes this file)
 * fails when a call with a wrong field compiles, or when a result loses its type.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { createClient, type FileForgeClient, type FileRecord, type FileStatus } from '../src/index.js';

/** Never run: tsc checks it. Each `@ts-expect-error` fails the typecheck if its line compiles. */
function wrongCalls(client: FileForgeClient) {
  // @ts-expect-error a misspelled filter
  client.files.list({ statuz: 'processed' });
  // @ts-expect-error a status the API does not have
  client.files.list({ status: 'done' });
  // @ts-expect-error limit is a number
  client.files.page({ limit: '10' });
  // @ts-expect-error an unknown field in a new API key
  client.auth.apiKeys.create({ name: 'ci', role: 'viewer', expires: 'never' });
  // @ts-expect-error a webhook needs its events
  client.webhooks.create({ name: 'crm', url: 'https://crm.example.com/hook' });
  // @ts-expect-error fileId is a string
  client.workflows.run('wf', { fileId: 42 });
  // @ts-expect-error an unknown option of createClient
  createClient({ baseUrl: 'http://127.0.0.1:1', apiKey: 'k', timeout: 5 });
}

describe('client types', () => {
  it('type results from the OpenAPI document', () => {
    const client = createClient({ baseUrl: 'http://127.0.0.1:1', apiKey: 'k' });
    expectTypeOf(client.files.get).returns.resolves.toEqualTypeOf<FileRecord>();
    expectTypeOf<FileRecord['status']>().toEqualTypeOf<FileStatus>();
    expectTypeOf<FileStatus>().toEqualTypeOf<
      'pending' | 'processing' | 'processed' | 'failed' | 'rejected'
    >();
    expectTypeOf(client.files.download).returns.resolves.toEqualTypeOf<ReadableStream<Uint8Array>>();
    expect(typeof wrongCalls).toBe('function');
  });
});

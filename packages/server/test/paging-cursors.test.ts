/**
 * Listings paged by id refuse a cursor they never handed out (400 on `cursor`) instead of reading
 * it as an id, which silently ended the list or started it over.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { json, startIntegrationServer } from './support/integrations.js';
import { stopTestServers } from './support/server.js';

afterEach(stopTestServers);

describe('id cursors of paged listings', () => {
  it('refuses garbage with 400 VALIDATION_FAILED on cursor, and still follows a real nextCursor', async () => {
    const server = await startIntegrationServer();
    const saved = await server.api(
      '/api/v1/workflows',
      json('POST', { name: 'paged', on: { manual: true }, steps: { a: { uses: 'process' } } }),
    );
    expect(saved.status).toBe(201);
    const { id } = (await saved.json()) as { id: string };
    for (let i = 0; i < 3; i++)
      expect((await server.api(`/api/v1/workflows/${id}/runs`, json('POST', {}))).status).toBe(202);

    for (const list of [
      '/api/v1/sorter/runs',
      `/api/v1/workflows/${id}/runs`,
      '/api/v1/integrations/webhooks',
    ]) {
      for (const cursor of ['garbage!', 'MTIz==', 'ZZZ', '../x', 'a'.repeat(65)]) {
        const res = await server.api(`${list}?cursor=${encodeURIComponent(cursor)}`);
        expect(res.status, `${list} ${cursor}`).toBe(400);
        const body = (await res.json()) as { error: { code: string; details?: unknown } };
        expect(body.error.code).toBe('VALIDATION_FAILED');
        expect(JSON.stringify(body.error.details)).toContain('cursor');
      }
    }
    const first = (await (await server.api(`/api/v1/workflows/${id}/runs?limit=2`)).json()) as {
      items: Array<{ id: string }>;
      nextCursor: string | null;
    };
    expect(first.items).toHaveLength(2);
    const next = (await (
      await server.api(`/api/v1/workflows/${id}/runs?limit=2&cursor=${first.nextCursor}`)
    ).json()) as { items: Array<{ id: string }> };
    expect(next.items).toHaveLength(1);
  });
});

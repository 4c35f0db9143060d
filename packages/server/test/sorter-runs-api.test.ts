import { afterEach, describe, expect, it } from 'vitest';
import { jsonBody as json } from './support/access-server.js';
import { makePdf, makeText } from './support/fixtures.js';
import {
  type FileResource,
  startTestServer,
  stopTestServers,
  type TestServer,
  waitForFinal,
} from './support/server.js';

afterEach(stopTestServers);

type Sorted = FileResource & { path: string | null; category: string | null };

/** Inline rules only (nothing saved), so whatever the pipeline sorts on its own stays put. */
const RULES = [
  {
    id: 'pdfs',
    category: 'documents',
    conditions: [{ field: 'ext', op: 'eq', value: 'pdf' }],
    destination: 'docs/{name}{ext}',
  },
  {
    id: 'notes',
    category: 'notes',
    conditions: [{ field: 'ext', op: 'eq', value: 'txt' }],
    destination: 'notes/{name}{ext}',
  },
];

async function uploadProcessed(api: TestServer['api']): Promise<Sorted[]> {
  const form = new FormData();
  form.append('file', new File([makePdf()], 'report.pdf'));
  form.append('file', new File([makeText()], 'note.txt'));
  const res = await api('/api/v1/files', { method: 'POST', body: form });
  expect(res.status).toBe(201);
  const files = ((await res.json()) as { files: Sorted[] }).files;
  for (const f of files) expect((await waitForFinal(api, f.id)).status).toBe('processed');
  return files;
}

const record = async (api: TestServer['api'], id: string) =>
  (await (await api(`/api/v1/files/${id}`)).json()) as Sorted;

describe('sort runs over HTTP', () => {
  it('simulate plans and changes nothing; apply moves, lists the run; undo moves everything back', async () => {
    const { api } = await startTestServer();
    const [pdf, txt] = await uploadProcessed(api);
    const before = await Promise.all([record(api, pdf!.id), record(api, txt!.id)]);

    const simulated = await api(
      '/api/v1/sorter/simulate',
      json('POST', { fileIds: [pdf!.id, txt!.id], rules: RULES }),
    );
    expect(simulated.status, await simulated.clone().text()).toBe(200);
    const plan = (await simulated.json()) as {
      items: Array<{ fileId: string; to: string | null; ruleId: string | null; reason: string }>;
    };
    expect(plan.items.map((i) => [i.fileId, i.to, i.ruleId])).toEqual(
      expect.arrayContaining([
        [pdf!.id, 'docs/report.pdf', 'pdfs'],
        [txt!.id, 'notes/note.txt', 'notes'],
      ]),
    );
    expect(plan.items.every((i) => i.reason.length > 0)).toBe(true);
    // Nothing changed: records, runs, the tree.
    expect(await Promise.all([record(api, pdf!.id), record(api, txt!.id)])).toEqual(before);
    expect(((await (await api('/api/v1/sorter/runs')).json()) as { items: unknown[] }).items).toEqual([]);
    expect(((await (await api('/api/v1/folders?path=docs')).json()) as { files: unknown[] }).files).toEqual(
      [],
    );

    const applied = await api(
      '/api/v1/sorter/runs',
      json('POST', { fileIds: [pdf!.id, txt!.id], rules: RULES }),
    );
    expect(applied.status, await applied.clone().text()).toBe(201);
    const run = (await applied.json()) as {
      id: string;
      moved: number;
      moves: Array<{ fileId: string; to: string | null }>;
    };
    expect(applied.headers.get('location')).toBe(`/api/v1/sorter/runs/${run.id}`);
    expect(run.moved).toBe(2);
    expect((await record(api, pdf!.id)).path).toBe('docs/report.pdf');
    const docs = (await (await api('/api/v1/folders?path=docs')).json()) as { files: Sorted[] };
    expect(docs.files.map((f) => f.id)).toEqual([pdf!.id]);
    const root = (await (await api('/api/v1/folders')).json()) as {
      folders: Array<{ name: string; fileCount: number }>;
    };
    expect(root.folders.map((f) => [f.name, f.fileCount])).toEqual([
      ['docs', 1],
      ['notes', 1],
    ]);
    // Page by page: each page's nextCursor opens the next one.
    const pages: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
      const res = await api(`/api/v1/folders?limit=1${query}`);
      expect(res.status, await res.clone().text()).toBe(200);
      const page = (await res.json()) as { folders: Array<{ name: string }>; nextCursor: string | null };
      pages.push(...page.folders.map((f) => f.name));
      cursor = page.nextCursor;
    } while (cursor !== null && pages.length < 10);
    expect(pages).toEqual(['docs', 'notes']);
    expect((await api('/api/v1/folders?cursor=not%20ours')).status).toBe(400);
    const listed = (await (await api('/api/v1/sorter/runs')).json()) as { items: Array<{ id: string }> };
    expect(listed.items.map((r) => r.id)).toEqual([run.id]);
    expect((await api(`/api/v1/sorter/runs/${run.id}`)).status).toBe(200);

    const undone = await api(`/api/v1/sorter/runs/${run.id}/undo`, { method: 'POST' });
    expect(undone.status, await undone.clone().text()).toBe(200);
    expect(await undone.json()).toMatchObject({ id: run.id, undone: 2, stopped: null });
    expect((await record(api, pdf!.id)).path).toBe(before[0]!.path);
    expect((await record(api, txt!.id)).path).toBe(before[1]!.path);

    expect((await api('/api/v1/sorter/runs/01m89x19j1mxtrcxkbagdagbb0')).status).toBe(404);
    expect(
      (await api('/api/v1/sorter/runs/01m89x19j1mxtrcxkbagdagbb0/undo', { method: 'POST' })).status,
    ).toBe(404);
  });

  it('refuses invalid inline rules with their paths, and folder paths that leave the tree', async () => {
    const { api } = await startTestServer();
    const bad = await api(
      '/api/v1/sorter/simulate',
      json('POST', { rules: [{ id: 'ok' }, { id: 'bad', match: 'some' }] }),
    );
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as {
      error: { code: string; details: { fields: Array<{ path: string }> } };
    };
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.details.fields.map((f) => f.path)).toEqual(['rules[1].match']);
    for (const path of ['..', 'a/../b', '/etc', 'a//b', 'a\\b']) {
      const res = await api(`/api/v1/folders?path=${encodeURIComponent(path)}`);
      expect(res.status, path).toBe(400);
    }
  });

  it('confirms or corrects a category, recorded as decided by the person, and lists files by category', async () => {
    const { api } = await startTestServer();
    const [pdf] = await uploadProcessed(api);
    const res = await api(`/api/v1/files/${pdf!.id}/classification`, json('POST', { category: 'contracts' }));
    expect(res.status, await res.clone().text()).toBe(200);
    const decided = (await res.json()) as {
      status: string;
      category: string;
      decidedBy: { kind: string; userId?: string };
    };
    expect(decided).toMatchObject({
      status: 'decided',
      category: 'contracts',
      decidedBy: { kind: 'person' },
    });
    expect(decided.decidedBy.userId).toEqual(expect.any(String));
    const read = (await (await api(`/api/v1/files/${pdf!.id}/classification`)).json()) as typeof decided;
    expect(read).toMatchObject({ status: 'decided', category: 'contracts', decidedBy: { kind: 'person' } });
    const listed = (await (await api('/api/v1/files?category=contracts')).json()) as { items: Sorted[] };
    expect(listed.items.map((f) => f.id)).toEqual([pdf!.id]);

    expect((await api('/api/v1/files/01m89x19j1mxtrcxkbagdagbb0/classification')).status).toBe(404);
    expect(
      (await api(`/api/v1/files/${pdf!.id}/classification`, json('POST', { category: '' }))).status,
    ).toBe(400);
    // One category is not enough to train on.
    const train = await api('/api/v1/classifier/train', { method: 'POST' });
    expect(train.status).toBe(409);
    expect(((await (await api('/api/v1/review')).json()) as { items: unknown[] }).items).toEqual([]);
  });
});

/**
 * The seed guide's flow end to end over HTTP (issue 10): a sorting rule and a workflow are
 * saved through the API, an invoice PDF is uploaded, and the file goes processed → classified
 * `invoices` by the rule (with its explanation) → filed at the rule's template path (in the
 * catalog, the folders API and the materialised tree) → the workflow triggered by
 * `file.classified` runs its two steps → `workflow.completed`.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writePdf } from '@fileforge/test-fixtures/pdf';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  eventually,
  type FileResource,
  startTestServer,
  stopTestServers,
  waitForFinal,
} from './support/server.js';

afterEach(stopTestServers);

const INVOICE_RULE = `
id: invoices
category: invoices
priority: 10
match: all
conditions:
  - { field: mime, op: in, value: [application/pdf] }
  - { field: text, algorithm: any, value: invoice }
destination: "invoices/{created:YYYY}/{created:MM}/{name}{ext}"
`;

const INVOICE_WORKFLOW = `
name: file-invoices
on:
  event: file.classified
  filter: { field: category, op: eq, value: invoices }
steps:
  stamp: { uses: test.stamp, with: { label: "booked {{ file.name }}" } }
  notify: { uses: test.notify, needs: [stamp], with: { text: "{{ steps.stamp.output.label }}" } }
`;

interface Classified {
  status: string;
  category: string | null;
  decidedBy: { kind: string; ruleId?: string } | null;
  explanation: unknown;
}
interface Run {
  id: string;
  workflowId: string;
  fileId: string | null;
  status: string;
  steps: Array<{ name: string; status: string; attempts: number; output?: unknown }>;
}

async function upload(
  api: (path: string, init?: RequestInit) => Promise<Response>,
  name: string,
  bytes: Buffer,
) {
  const form = new FormData();
  form.append('file', new File([bytes], name));
  const res = await api('/api/v1/files', { method: 'POST', body: form });
  expect(res.status, await res.clone().text()).toBe(201);
  return ((await res.json()) as { files: FileResource[] }).files[0]!;
}

describe('the seed guide flow over HTTP', () => {
  it('upload an invoice PDF → processed → classified by the rule → filed at its path → the triggered workflow completes', async () => {
    const server = await startTestServer();
    const { api, forge } = server;
    const notified: string[] = [];
    forge.workflows.registerStep({
      name: 'test.stamp',
      options: z.object({ label: z.string() }),
      run: async (_context, { label }) => ({ label }),
    });
    forge.workflows.registerStep({
      name: 'test.notify',
      options: z.object({ text: z.string() }),
      async run(_context, { text }) {
        notified.push(text);
        return { sent: true };
      },
    });
    const completed: Array<{ workflowId: string; runId: string; fileId: string | null }> = [];
    forge.events.on('workflow.completed', (event) => {
      completed.push({ workflowId: event.workflowId, runId: event.runId, fileId: event.fileId });
    });

    const rule = await api('/api/v1/sorter/rules', {
      method: 'POST',
      headers: { 'Content-Type': 'application/yaml' },
      body: INVOICE_RULE,
    });
    expect(rule.status, await rule.clone().text()).toBe(201);
    const saved = await api('/api/v1/workflows', {
      method: 'POST',
      headers: { 'Content-Type': 'application/yaml' },
      body: INVOICE_WORKFLOW,
    });
    expect(saved.status, await saved.clone().text()).toBe(201);
    const workflow = (await saved.json()) as { id: string };

    const invoice: FileResource & { createdAt?: string } = await upload(
      api,
      'acme-invoice.pdf',
      writePdf({ pages: ['ACME Ltd invoice 2026-117', 'Amount due: 1,200.00 EUR'], title: 'Invoice' }),
    );
    const note = await upload(api, 'shopping.txt', Buffer.from('flour, eggs, butter\n'));

    // Processed first (the processors finished) …
    expect((await waitForFinal(api, invoice.id)).status).toBe('processed');
    expect((await waitForFinal(api, note.id)).status).toBe('processed');

    // … then classified by the rule, with an explanation a person can read …
    const classification = await eventually(async () => {
      const res = await api(`/api/v1/files/${invoice.id}/classification`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as Classified;
      return body.status === 'decided' ? body : undefined;
    }, 'the invoice was never classified');
    expect(classification.category).toBe('invoices');
    expect(classification.decidedBy).toMatchObject({ kind: 'rule', ruleId: 'invoices' });
    expect(JSON.stringify(classification.explanation)).toContain('invoices');

    // … and filed at the rule's template path, in the catalog, the folders API and on disk.
    const created = new Date(invoice.createdAt ?? '');
    const yyyy = String(created.getUTCFullYear());
    const mm = String(created.getUTCMonth() + 1).padStart(2, '0');
    const expectedPath = `invoices/${yyyy}/${mm}/acme-invoice.pdf`;
    const filed = await eventually(async () => {
      const record = (await (await api(`/api/v1/files/${invoice.id}`)).json()) as FileResource & {
        path: string | null;
      };
      return record.path === expectedPath ? record : undefined;
    }, `the invoice never reached ${expectedPath}`);
    expect(filed).toMatchObject({ category: 'invoices', path: expectedPath, status: 'processed' });
    expect((await stat(join(forge.options.sortedFolder, 'default', expectedPath))).size).toBe(invoice.size);

    const year = (await (await api(`/api/v1/folders?path=invoices/${yyyy}`)).json()) as {
      folders: Array<{ name: string; path: string }>;
      files: FileResource[];
    };
    expect(year.folders).toEqual([expect.objectContaining({ name: mm, path: `invoices/${yyyy}/${mm}` })]);
    const month = (await (await api(`/api/v1/folders?path=invoices/${yyyy}/${mm}`)).json()) as {
      files: FileResource[];
    };
    expect(month.files.map((f) => f.id)).toEqual([invoice.id]);
    expect((await api('/api/v1/folders?path=invoices/../..')).status).toBe(400);

    const byCategory = (await (await api('/api/v1/files?category=invoices')).json()) as {
      items: FileResource[];
    };
    expect(byCategory.items.map((f) => f.id)).toEqual([invoice.id]);

    // The workflow triggered by file.classified (category invoices) ran both steps, for the invoice only.
    const run = await eventually(async () => {
      const page = (await (await api(`/api/v1/workflows/${workflow.id}/runs`)).json()) as { items: Run[] };
      const done = page.items.find((r) => r.status === 'completed');
      return done ?? undefined;
    }, 'the invoice workflow never completed a run');
    expect(run.fileId).toBe(invoice.id);
    expect(run.steps.map((s) => [s.name, s.status])).toEqual([
      ['stamp', 'completed'],
      ['notify', 'completed'],
    ]);
    expect(notified).toEqual(['booked acme-invoice.pdf']);
    const detail = (await (await api(`/api/v1/workflows/${workflow.id}/runs/${run.id}`)).json()) as Run;
    expect(detail.steps[1]?.output).toEqual({ sent: true });

    await eventually(
      () => (completed.some((e) => e.workflowId === workflow.id && e.runId === run.id) ? true : undefined),
      'workflow.completed was never emitted for the run',
    );
    const runs = (await (await api(`/api/v1/workflows/${workflow.id}/runs`)).json()) as { items: Run[] };
    expect(runs.items.map((r) => r.fileId)).toEqual([invoice.id]);
  });
});

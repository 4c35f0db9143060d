import { FileForgeError, type FileRecord, type Forge, toFileForgeError } from '@fileforge/core';
import type { Context } from 'hono';
import { assertCanChange, principalOf } from '../auth/ownership.js';
import type { Principal } from '../auth/principal.js';
import { notFound } from '../errors/respond.js';
import { statusOf } from '../errors/status.js';
import { type ApiApp, jsonResponse, secureRoute } from '../http/openapi.js';
import { fileResource } from '../http/resource.js';
import { audit, fileTarget } from '../middleware/audit.js';
import { BulkBody, BulkResultSchema } from '../schemas/bulk.js';
import type { ServerEnv } from '../server-env.js';

type BulkAction = 'delete' | 'reprocess' | 'move' | 'categorize';
type BulkItem = {
  id: string;
  ok: boolean;
  status: number;
  error?: { code: string; message: string };
  file?: ReturnType<typeof fileResource>;
};

const failure = (id: string, error: unknown): BulkItem => {
  const known = toFileForgeError(error);
  // Unexpected faults keep their details in the log, not in the answer.
  const message = FileForgeError.is(error) ? known.message : 'The action failed';
  return { id, ok: false, status: statusOf(known.code), error: { code: known.code, message } };
};

/** Moves the permitted files into `folder` as one journaled sort run (undo it like any run). */
async function moveAll(forge: Forge, tenant: string, records: FileRecord[], folder: string) {
  const escaped = folder.replace(/[{}]/g, (brace) => brace + brace);
  await forge.sorter.apply({
    tenant,
    fileIds: records.map((r) => r.id),
    rules: [{ id: 'bulk-move', destination: `${escaped}/{name}{ext}`, onConflict: 'rename_new' }],
  });
}

/**
 * `POST /api/v1/files/bulk`: one action on many files, with a result per file. Each file is
 * checked like its single-file route (404 for another tenant's or a missing id; editors change
 * only what they own for `delete` and `reprocess`, as on `DELETE /files/{id}`) and deletions are
 * audited one entry per file. `move` is one sort run, undoable at `/sorter/runs/{runId}/undo`;
 * `categorize` records each file's category as a person's decision (a label for the classifier).
 */
export function registerBulkFileRoutes(app: ApiApp, forge: Forge): void {
  app.openapi(
    secureRoute({
      method: 'post',
      path: '/api/v1/files/bulk',
      tags: ['Files'],
      summary: 'Delete, reprocess, move or re-categorise many files at once',
      description:
        'Answers 200 with one result per id, in order: `ok`, the `status` the single-file route would have given, and its `error` code. `move` needs `path` (a folder of the sorted tree; the files keep their names) and runs as one undoable sort run; `categorize` needs `category`.',
      request: { body: { required: true, content: { 'application/json': { schema: BulkBody } } } },
      errors: [400, 409],
      responses: { 200: jsonResponse(BulkResultSchema, 'What happened to each file') },
    }),
    async (c) => {
      const principal = principalOf(c);
      const body = c.req.valid('json');
      const results = await runBulk(c, forge, principal, body);
      const succeeded = results.filter((r) => r.ok).length;
      return c.json({ action: body.action, succeeded, failed: results.length - succeeded, results }, 200);
    },
  );
}

async function runBulk(
  c: Context<ServerEnv>,
  forge: Forge,
  principal: Principal,
  body: { action: BulkAction; ids: string[]; path?: string; category?: string },
): Promise<BulkItem[]> {
  const tenant = principal.tenant;
  const results = new Map<string, BulkItem>();
  const permitted: FileRecord[] = [];
  for (const id of body.ids) {
    try {
      const record = await forge.files.get(id, { tenant });
      if (!record) throw notFound('File');
      if (body.action === 'delete' || body.action === 'reprocess') assertCanChange(principal, record);
      permitted.push(record);
    } catch (error) {
      results.set(id, failure(id, error));
    }
  }
  if (body.action === 'move' && permitted.length > 0) {
    await moveAll(forge, tenant, permitted, body.path!);
  }
  for (const record of permitted) {
    try {
      results.set(record.id, await applyOne(c, forge, principal, record, body));
    } catch (error) {
      results.set(record.id, failure(record.id, error));
    }
  }
  // The labels of one request cost one training (not one per 20 files).
  if (body.action === 'categorize') await forge.sorter.retrainIfDue(tenant);
  return body.ids.map((id) => results.get(id)!);
}

async function applyOne(
  c: Context<ServerEnv>,
  forge: Forge,
  principal: Principal,
  record: FileRecord,
  body: { action: BulkAction; path?: string; category?: string },
): Promise<BulkItem> {
  const tenant = principal.tenant;
  switch (body.action) {
    case 'delete':
      await forge.files.delete(record.id, { tenant });
      await audit(c, 'file.delete', fileTarget(record), { bulk: true });
      return { id: record.id, ok: true, status: 204 };
    case 'reprocess': {
      const queued = await forge.files.reprocess(record.id, { tenant });
      return { id: record.id, ok: true, status: 202, file: fileResource(queued) };
    }
    case 'categorize': {
      await forge.sorter.correct(tenant, record.id, body.category!, principal.userId, { retrain: false });
      break;
    }
    case 'move':
      break;
  }
  const now = await forge.files.get(record.id, { tenant });
  if (!now) throw notFound('File');
  if (body.action === 'move' && !now.path?.startsWith(`${body.path}/`)) {
    return {
      id: record.id,
      ok: false,
      status: 409,
      error: { code: 'CONFLICT', message: `The file was not moved into ${body.path}` },
      file: fileResource(now),
    };
  }
  return { id: record.id, ok: true, status: 200, file: fileResource(now) };
}

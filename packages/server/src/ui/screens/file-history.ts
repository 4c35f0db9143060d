import type { FileRecord, Forge } from '@fileforge/core';
import type { HistoryEntry } from './file-sections.js';

const EVENT_WORDS: Record<string, string> = {
  'file.uploaded': 'Uploaded',
  'file.processed': 'Processed',
  'file.classified': 'Classified',
  'file.sorted': 'Filed into the sorted tree',
  'file.failed': 'Processing gave up',
  'file.deleted': 'Deleted',
};

/**
 * What happened to a file, newest first: its events (as `GET /api/v1/files/{id}/history`
 * reads them from the event outbox) and the workflow runs about it. Falls back to the
 * record's own timestamps when the history cannot be read.
 */
export async function fileHistory(forge: Forge, file: FileRecord): Promise<HistoryEntry[]> {
  try {
    const [events, runs] = await Promise.all([
      forge.catalog.outbox.listStream(`${file.tenant}/${file.id}`, { limit: 50 }),
      forge.workflows.listFileRuns(file.id, { tenant: file.tenant, limit: 20 }),
    ]);
    const entries: HistoryEntry[] = events.map((e) => {
      const payload = (e.payload ?? {}) as Record<string, unknown>;
      const classification = payload.classification as { category?: string | null } | undefined;
      const to = typeof payload.to === 'string' ? payload.to : undefined;
      const error = payload.error as { message?: string } | undefined;
      const detail = classification?.category
        ? `category ${classification.category}`
        : to
          ? to
          : error?.message;
      if (e.type === 'file.sorted' && payload.to === null) {
        // Without a destination it took the file out of the tree (an undo, an overwrite).
        const from = typeof payload.from === 'string' ? { detail: `from ${payload.from}` } : {};
        return { at: e.createdAt, what: 'Taken out of the sorted tree', ...from };
      }
      return { at: e.createdAt, what: EVENT_WORDS[e.type] ?? e.type, ...(detail ? { detail } : {}) };
    });
    for (const run of runs) {
      entries.push({
        at: run.createdAt,
        what: `Workflow ${run.workflowId} run: ${run.status}`,
        href: `/workflows/${encodeURIComponent(run.workflowId)}/runs/${encodeURIComponent(run.id)}`,
        ...(run.error ? { detail: run.error.message } : {}),
      });
    }
    if (entries.length > 0) return entries;
  } catch {
    // The history is a convenience on this page: the record's own dates still tell the story.
  }
  return [
    { at: file.createdAt, what: 'Uploaded' },
    ...(file.updatedAt !== file.createdAt
      ? [{ at: file.updatedAt, what: `Last change: ${file.status}` }]
      : []),
  ];
}

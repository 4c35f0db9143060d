import { type Forge, PROCESS_JOB, processJobKey } from '@fileforge/core';

/**
 * Queues processing for every file that is not final, as the forge does at start-up: a file
 * uploaded while Redis was unreachable is stored (the upload answered 503 QUEUE_UNAVAILABLE)
 * but has no job yet. The key merges each request into a job still pending; next to one still
 * running it queues a follow-up that finds the record final and does nothing. Returns how many
 * files were looked at.
 */
export async function requeueUnfinished(forge: Forge, signal?: AbortSignal): Promise<number> {
  const files = await forge.catalog.files.listUnfinished();
  for (const file of files) {
    signal?.throwIfAborted();
    await forge.queue.enqueue(
      PROCESS_JOB,
      { tenant: file.tenant, fileId: file.id },
      { key: processJobKey(file.tenant, file.id) },
    );
  }
  return files.length;
}

/**
 * A small FileForge program for the outbox crash test, run in a child process (tsx + the
 * `@fileforge/source` condition): `outbox-crash-child.ts <dataDir> <log> ingest|resume`.
 * `ingest` stores one file and waits for its processing; `resume` only starts and stops, so
 * start-up does the recovery. A subscriber records every delivery it receives in `<log>`,
 * deduplicating by event id the way a webhook receiver does (a repeat is recorded as such).
 * With FILEFORGE_CRASH_AT set, the forge kills this process at that point.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { createForge, type FileEvent, type ForgeEventName } from '@fileforge/core';

const [dataDir, log, mode] = process.argv.slice(2) as [string, string, 'ingest' | 'resume'];

const received = (): Array<{ eventId: string }> =>
  existsSync(log)
    ? readFileSync(log, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line))
    : [];

const subscriber = (type: ForgeEventName) => (event: FileEvent) => {
  const duplicate = received().some((e) => e.eventId === event.eventId);
  const line = { type, eventId: event.eventId, fileId: event.file.id, status: event.file.status, duplicate };
  appendFileSync(log, `${JSON.stringify(line)}\n`);
};

const forge = await createForge({
  dataDir,
  subscribe(events) {
    events.on('file.uploaded', subscriber('file.uploaded'));
    events.on('file.processed', subscriber('file.processed'));
  },
});
if (mode === 'ingest') {
  await forge.ingest(Readable.from([Buffer.from('an event must survive a crash\n')]), { name: 'note.txt' });
}
await forge.queue.onIdle();
await forge.close();

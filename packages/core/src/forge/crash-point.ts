import { Transform } from 'node:stream';

/**
 * Test-only crash points. With `FILEFORGE_CRASH_AT=<point>` (or `<point>:<detail>`) in the
 * environment, the process kills itself with SIGKILL when it reaches that point — no cleanup,
 * no `finally`, exactly like a power cut of the process — so tests can prove what a crash there
 * loses. The only place FileForge reads this variable; unset, it costs one lookup.
 *
 * Points: `after-outbox-commit` (a state change and its event are committed, nothing is
 * delivered yet; detail: the event name, e.g. `after-outbox-commit:file.processed`);
 * `after-watch-claim` (a watched file was renamed into the claim area, nothing ingested);
 * `after-watch-ingest` (its record is committed, the claim not yet removed);
 * `after-step-commit` (a workflow step's result is committed, the next step not started;
 * detail: the step name);
 * `mid-backup` (`fileforge backup` has written a blob to its temp archive, the manifest not yet);
 * `mid-restore` (`fileforge restore` has staged an object, nothing live changed yet;
 * `mid-restore:swapped`: the restored data is swapped in, the sorted folder not yet rebuilt).
 *
 * Upload path (issue 12), in the order an upload passes them: `upload:body:<N>` (the blob
 * store has received N bytes of the file: the process dies before passing the chunk that
 * would take it past N — see {@link crashTap}); `upload:after-fsync` (the temp file is
 * complete and fsynced, not linked); `upload:after-link` (the blob is linked into place, its
 * temp name not yet removed, no record); `upload:after-commit` (the record and its
 * `file.uploaded` event are committed, nothing delivered or answered); `upload:before-response`
 * (the server is about to answer 201). The blob-store points fire in every put, derivatives
 * included.
 */
export function crashPoint(point: string, detail?: string): void {
  const at = process.env.FILEFORGE_CRASH_AT;
  if (at && (at === point || at === `${point}:${detail}`)) process.kill(process.pid, 'SIGKILL');
}

/**
 * A pass-through stream for the `<point>:<N>` byte-offset crash point (e.g. `upload:body:1000`):
 * it SIGKILLs the process when the bytes it has seen would pass N. `null` (nothing to insert in
 * the pipeline) when `FILEFORGE_CRASH_AT` names no offset for `point`, the normal case.
 */
export function crashTap(point: string): Transform | null {
  const at = process.env.FILEFORGE_CRASH_AT;
  if (!at?.startsWith(`${point}:`)) return null;
  const offset = Number(at.slice(point.length + 1));
  if (!Number.isSafeInteger(offset) || offset < 0) return null;
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      if (seen + chunk.length > offset) process.kill(process.pid, 'SIGKILL');
      seen += chunk.length;
      done(null, chunk);
    },
  });
}

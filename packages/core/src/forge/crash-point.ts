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
 * detail: the step name).
 */
export function crashPoint(point: string, detail?: string): void {
  const at = process.env.FILEFORGE_CRASH_AT;
  if (at && (at === point || at === `${point}:${detail}`)) process.kill(process.pid, 'SIGKILL');
}

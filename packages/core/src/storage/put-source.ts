import { Readable } from 'node:stream';

const ignore = () => {};

/**
 * Holds a put's source while the store still awaits something of its own (its directories, an
 * existence check) before a pipeline reads it. A stream that fails meanwhile — a file that
 * cannot be opened — would emit `'error'` with nobody listening and end the process; this
 * listens from the start. The error stays on the stream (`errored`), so the pipeline still
 * reports it once it starts. `release()` is for a put refused before that: the stream is
 * destroyed, which frees its file descriptor or socket.
 */
export function holdSource(source: Readable | AsyncIterable<Uint8Array>): { release(): void } {
  if (!(source instanceof Readable)) return { release: ignore };
  source.on('error', ignore);
  return { release: () => source.destroy() };
}

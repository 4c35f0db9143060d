/**
 * Stored bytes (a download) as a response body that is cut, not errored, when they fail once the
 * answer has started: a tampered encrypted segment, a read error, a blob shorter (or longer) on
 * disk than its record says.
 *
 * How this works: @hono/node-server has no hook for a failing response body. When the web stream
 * it pipes errors, it prints the error with `console.error` (unstructured, no request id), and
 * when the stream merely ends it ends the response, so a blob cut short on disk would go out
 * as a short body that leaves the client waiting for the rest. Here the source's failure never
 * reaches the web stream: it is reported once to `onFailure` (which logs it), then `cut()`
 * destroys the connection. The response closing makes @hono/node-server cancel the body, which
 * releases the source; a cancelled body is not an error, so nothing is printed. The client sees
 * the connection close before `Content-Length` bytes: an aborted download, never a complete one.
 *
 * @module
 */
import type { Readable } from 'node:stream';
import { ErrorCode, FileForgeError } from '@fileforge/core';
import { webStreamOf } from './web-stream.js';

/** Options of {@link storedBody}. */
export interface StoredBodyOptions {
  /** Bytes the response promised (its `Content-Length`): the source ending sooner or later fails. */
  length: number;
  /** Told once of a failure, with the bytes already handed on, before the response is cut. */
  onFailure(error: unknown, sent: number): void;
  /**
   * Cuts the response (destroys its connection). Without it (no Node connection, as under
   * `app.request()` in tests) the body errors instead.
   */
  cut?: () => void;
  /** What the bytes are, for the error a wrong length gives. @default 'Stored bytes' (a file's: the hint names `fileforge fsck`) */
  what?: string;
}

/** The bytes of `source` as a response body; see the module comment. */
export function storedBody(source: Readable, options: StoredBodyOptions): ReadableStream<Uint8Array> {
  // webStreamOf handles the source's 'error' from here on.
  const reader = webStreamOf(source).getReader();
  let sent = 0;
  let over = false;

  const fail = (error: unknown, controller: ReadableStreamDefaultController<Uint8Array>) => {
    over = true;
    reader.cancel().catch(() => {});
    options.onFailure(error, sent);
    if (options.cut) options.cut();
    else controller.error(error);
  };
  const what = options.what ?? 'Stored bytes';
  const hint = options.what === undefined ? '; run "fileforge fsck"' : '';
  const mismatch = (got: number) =>
    new FileForgeError(
      ErrorCode.BLOB_INTEGRITY_FAILED,
      got < options.length
        ? `[fileforge:storage] ${what} ended after ${got} of ${options.length} (truncated)${hint}`
        : `[fileforge:storage] ${what} ran past the ${options.length} recorded (replaced)${hint}`,
      { details: { expected: options.length, got } },
    );

  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (over) return;
        let next: Awaited<ReturnType<typeof reader.read>>;
        try {
          next = await reader.read();
        } catch (error) {
          // A read racing the receiver's cancel is not a failure of the stored bytes.
          if (!over) fail(error, controller);
          return;
        }
        if (over) return;
        if (next.done) {
          if (sent === options.length) {
            over = true;
            controller.close();
          } else fail(mismatch(sent), controller);
          return;
        }
        if (sent + next.value.byteLength > options.length) {
          fail(mismatch(sent + next.value.byteLength), controller);
          return;
        }
        sent += next.value.byteLength;
        controller.enqueue(next.value);
      },
      cancel(reason) {
        // The receiver went away (or the response was cut): release the source, report nothing.
        over = true;
        // Rejects when the source had already failed: that was reported, or is nobody's concern now.
        return reader.cancel(reason).catch(() => {});
      },
    },
    // Nothing waits here: each read of the receiver is one read of the source's own queue.
    { highWaterMark: 0 },
  );
}

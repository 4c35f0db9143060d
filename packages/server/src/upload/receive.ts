/**
 * Streaming multipart upload.
 *
 * How this works: the Node request is piped straight into busboy (never through
 * `formData()`/`parseBody()`, which buffer whole bodies). Each file part is handed to
 * `forge.ingest()` as it arrives — files in a multipart body are sequential, so one is
 * stored before the next is read. The first refusal (too large, type not allowed, bad name,
 * parser limit) settles the request: the parser is detached, the error is answered, and at
 * most `drainBytes` more are read before the connection is closed. A client that goes away
 * aborts the ingest in flight, whose temp file is removed.
 *
 * @module
 */
import type { IncomingMessage } from 'node:http';
import { type Readable, Transform } from 'node:stream';
import { Busboy } from '@fastify/busboy';
import { ErrorCode, FileForgeError, type FileRecord, type Forge } from '@fileforge/core';
import type { UploadReservation } from '../admission/upload-admission.js';
import { uploadWatch, watchUploadBody } from './body-watch.js';
import { refuseWithoutSpace } from './free-space.js';
import {
  busboyLimits,
  fileTooLarge,
  type MultipartLimits,
  maxRequestBytes,
  PART_OVERHEAD_BYTES,
} from './limits.js';
import { boundaryOf, createPartHeaderGuard } from './part-headers.js';

/** Outcome of {@link receiveUpload}. */
export type UploadOutcome =
  | { ok: true; files: FileRecord[] }
  /** `stored` lists the files of this request that were committed before the refusal. */
  | { ok: false; error: FileForgeError; stored: FileRecord[]; bodyUnread: boolean };

/** Options for {@link receiveUpload}. */
export interface ReceiveOptions extends MultipartLimits {
  tenant?: string;
  /** The user the stored files belong to. */
  ownerId?: string;
  /** The API key the request came through, recorded on each file (key ownership). */
  apiKeyId?: string;
  /** A body that sends nothing for this long is answered 408 `REQUEST_TIMEOUT`. @default 60000 */
  idleTimeoutMs?: number;
  /**
   * A body averaging less than this over `rateWindowMs` of the time the server waited for it
   * is answered 408 `REQUEST_TIMEOUT`; `0` disables the check. @default 1024
   */
  minBytesPerSecond?: number;
  /** Client time the minimum rate is averaged over. @default 10000 */
  rateWindowMs?: number;
  /**
   * Free space to keep: a request whose Content-Length exceeds the store's free space minus
   * this is answered 507 before its body is read. @default 0
   */
  reserveBytes?: number;
  /**
   * The request's claim on its tenant's quota (see `UploadAdmission.reserve`): each file part
   * after the first reserves one more file, and with `metered` (no Content-Length) the file
   * bytes are counted as they arrive and reserved ahead of storing them.
   */
  quota?: { reservation: UploadReservation; metered: boolean };
}

/** How far ahead of the running count a metered upload reserves. */
const METER_STEP_BYTES = 1024 * 1024;

const multipartLimit = (what: string) =>
  new FileForgeError(ErrorCode.MULTIPART_LIMIT, `Too many ${what} in one request`, {
    details: { limit: what },
  });

/** Reads a multipart request and ingests every file part in it. Never throws. */
export function receiveUpload(
  forge: Forge,
  incoming: IncomingMessage,
  options: ReceiveOptions,
): Promise<UploadOutcome> {
  const contentType = incoming.headers['content-type'] ?? '';
  if (!/^multipart\/form-data;.*boundary=/i.test(contentType)) {
    return Promise.resolve({
      ok: false,
      error: new FileForgeError(ErrorCode.BAD_REQUEST, 'Expected a multipart/form-data body with a boundary'),
      stored: [],
      bodyUnread: true,
    });
  }
  const declaredLength = Number(incoming.headers['content-length']);
  if (Number.isFinite(declaredLength) && declaredLength > maxRequestBytes(options)) {
    return Promise.resolve({
      ok: false,
      error: fileTooLarge(options.maxFileSize),
      stored: [],
      bodyUnread: true,
    });
  }
  return refuseWithoutSpace(forge, declaredLength, options.reserveBytes).then((noSpace) =>
    noSpace
      ? { ok: false, error: noSpace, stored: [], bodyUnread: true }
      : receiveParts(forge, incoming, options),
  );
}

function receiveParts(
  forge: Forge,
  incoming: IncomingMessage,
  options: ReceiveOptions,
): Promise<UploadOutcome> {
  return new Promise<UploadOutcome>((resolve) => {
    const stored: FileRecord[] = [];
    const controller = new AbortController();
    let settled = false;
    let chain = Promise.resolve();
    let parser: ReturnType<typeof Busboy>;
    let parts = 0;
    let meteredBytes = 0;
    // What this request stored so far: in the tenant's usage from its commit on, so no longer
    // in the reservation, which covers only what is still to come.
    let committedFiles = 0;
    let committedBytes = 0;

    const stopWatch = watchUploadBody(incoming, uploadWatch(options), (error) => fail(error));

    // busboy silently truncates oversized part headers; this sees the raw bytes beside it.
    const headerGuard = createPartHeaderGuard(
      boundaryOf(incoming.headers['content-type'] ?? '') ?? '',
      PART_OVERHEAD_BYTES,
    );
    const watchPartHeaders = (chunk: Buffer) => {
      if (!headerGuard.push(chunk)) return;
      fail(
        new FileForgeError(
          ErrorCode.MULTIPART_LIMIT,
          `A part's headers are larger than ${PART_OVERHEAD_BYTES} bytes`,
          { details: { limit: 'headerSize' } },
        ),
      );
    };
    const fail = (error: FileForgeError) => {
      if (settled) return;
      settled = true;
      stopWatch();
      incoming.off('data', watchPartHeaders);
      incoming.unpipe(parser);
      controller.abort(error);
      const bodyUnread = !incoming.readableEnded;
      // The file being stored is aborted; its ingest settles (removing its temp file, or
      // committing if it had already finished) before the answer, which lists what was kept.
      void chain.then(() => resolve({ ok: false, error, stored, bodyUnread }));
    };
    const onClientGone = () => {
      if (!incoming.readableEnded)
        fail(new FileForgeError(ErrorCode.UPLOAD_ABORTED, 'The client closed the connection'));
    };
    incoming.once('close', onClientGone);
    incoming.once('aborted', onClientGone);
    // The free-space preflight awaited before this: a client that went away meanwhile already
    // closed the request, and its 'close' will not come again.
    if (incoming.destroyed) {
      onClientGone();
      return;
    }

    try {
      parser = Busboy({
        headers: incoming.headers as { 'content-type': string },
        limits: busboyLimits(options),
      });
    } catch (error) {
      fail(new FileForgeError(ErrorCode.BAD_REQUEST, 'Malformed multipart request', { cause: error }));
      return;
    }

    parser.on('file', (_field, stream, filename, _encoding, mimeType) => {
      // Handled from the moment the parser hands the stream over: the parser errors it when the
      // body ends inside this part, possibly before the ingest below attaches to it (issue 7).
      // It is then destroyed, so no consumer mistakes the truncated part for a whole file. An
      // error from a consumer destroying it (size cap, abort) is reported by that consumer.
      stream.on('error', (error: Error) => {
        if (stream.destroyed) return;
        fail(new FileForgeError(ErrorCode.BAD_REQUEST, 'Malformed multipart request', { cause: error }));
        stream.destroy(error);
      });
      if (settled) {
        stream.resume();
        return;
      }
      chain = chain.then(async () => {
        if (settled) {
          stream.resume();
          return;
        }
        try {
          const source = await admitPart(stream);
          const record = await forge.ingest(source, {
            name: filename,
            declaredType: mimeType,
            signal: controller.signal,
            maxBytes: options.maxFileSize,
            ...(options.tenant ? { tenant: options.tenant } : {}),
            ...(options.ownerId ? { ownerId: options.ownerId } : {}),
            ...(options.apiKeyId ? { apiKeyId: options.apiKeyId } : {}),
            // Listed as stored from its commit on: a failure after it (the queue) must not
            // hide a file that exists from the client, nor answer 201 for it.
            onCommitted: (record) => stored.push(record),
            requireQueued: true,
          });
          await settleCommitted(record.size);
        } catch (error) {
          stream.resume();
          fail(
            FileForgeError.is(error) && error.code !== 'ABORTED'
              ? error
              : toUploadError(error, controller.signal),
          );
        }
      });
    });
    /** A stored file counts in the usage now: the reservation gives back what it held for it. */
    const settleCommitted = async (size: number) => {
      committedFiles += 1;
      committedBytes += size;
      const reservation = options.quota?.reservation;
      if (!reservation) return;
      // Only smaller: usage grew by as much, so it fits wherever the larger amount did.
      await reservation
        .resize(Math.max(0, reservation.bytes - size), Math.max(0, reservation.files - 1))
        .catch(() => {});
    };
    /** The part's file within the quota: one more file, and its bytes as they arrive when metered. */
    const admitPart = async (stream: Readable): Promise<Readable> => {
      const quota = options.quota;
      parts += 1;
      if (!quota) return stream;
      const outstanding = () => parts - committedFiles;
      if (outstanding() > quota.reservation.files)
        await quota.reservation.resize(quota.reservation.bytes, outstanding());
      if (!quota.metered) return stream;
      const reservation = quota.reservation;
      const grow = async (needed: number) => {
        try {
          await reservation.resize(needed + METER_STEP_BYTES, outstanding());
        } catch (error) {
          if (!FileForgeError.is(error) || error.code !== ErrorCode.QUOTA_EXCEEDED) throw error;
          await reservation.resize(needed, outstanding());
        }
      };
      const meter = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          meteredBytes += chunk.length;
          const pending = meteredBytes - committedBytes;
          if (pending <= reservation.bytes) {
            done(null, chunk);
            return;
          }
          grow(pending).then(
            () => done(null, chunk),
            (error: unknown) => {
              // Refused before this chunk is stored: the answer is the quota's.
              if (FileForgeError.is(error)) fail(error);
              done(error as Error);
            },
          );
        },
      });
      meter.on('error', () => {});
      stream.on('error', (error) => meter.destroy(error));
      return stream.pipe(meter);
    };
    parser.on('filesLimit', () => fail(multipartLimit('files')));
    parser.on('partsLimit', () => fail(multipartLimit('parts')));
    parser.on('fieldsLimit', () => fail(multipartLimit('fields')));
    // Text fields are not used, but one cut short by busboy is still a limit crossed, not a
    // field to accept silently.
    parser.on('field', (_name: string, _value: string, nameTruncated: boolean, valueTruncated: boolean) => {
      if (nameTruncated || valueTruncated) {
        fail(
          new FileForgeError(ErrorCode.MULTIPART_LIMIT, 'A form field is too large (64 KiB at most)', {
            details: { limit: 'fieldSize' },
          }),
        );
      }
    });
    parser.on('error', (error: unknown) =>
      fail(new FileForgeError(ErrorCode.BAD_REQUEST, 'Malformed multipart request', { cause: error })),
    );
    parser.on('finish', () => {
      chain.then(() => {
        if (settled) return;
        if (stored.length === 0) {
          fail(new FileForgeError(ErrorCode.BAD_REQUEST, 'The request contained no file part'));
          return;
        }
        settled = true;
        stopWatch();
        resolve({ ok: true, files: stored });
      });
    });
    incoming.on('data', watchPartHeaders);
    incoming.pipe(parser);
  });
}

function toUploadError(error: unknown, signal: AbortSignal): FileForgeError {
  if (FileForgeError.is(signal.reason)) return signal.reason;
  return FileForgeError.is(error)
    ? error
    : new FileForgeError(ErrorCode.INTERNAL, 'Upload failed', { cause: error });
}

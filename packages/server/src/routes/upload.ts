import type { IncomingMessage } from 'node:http';
import type { Forge } from '@fileforge/core';
import { crashPoint, ErrorCode, FileForgeError } from '@fileforge/core';
import { z } from '@hono/zod-openapi';
import type { UploadAdmission, UploadReservation } from '../admission/upload-admission.js';
import { principalOf } from '../auth/ownership.js';
import { type ApiApp, secureRoute } from '../http/openapi.js';
import { fileResource } from '../http/resource.js';
import { auditUploads } from '../middleware/audit.js';
import { FileSchema, UploadBodySchema } from '../schemas/files.js';
import { uploadWatch } from '../upload/body-watch.js';
import { fingerprintOfBody, fingerprintOfRecords } from '../upload/fingerprint.js';
import { fileTooLarge, maxRequestBytes } from '../upload/limits.js';
import { receiveUpload } from '../upload/receive.js';

/** Options for {@link registerUploadRoute}. */
export interface UploadRouteOptions {
  maxFilesPerRequest: number;
  /** An upload that sends nothing for this long is answered 408. */
  idleTimeoutMs: number;
  /** An upload averaging less than this over `rateWindowMs` is answered 408; `0` disables. */
  minBytesPerSecond: number;
  /** Client time the minimum rate is averaged over. */
  rateWindowMs: number;
  isDraining: () => boolean;
  /** Called with every committed upload (metrics). */
  onStored?: (files: import('@fileforge/core').FileRecord[]) => void;
  /** Backpressure, quotas and `Idempotency-Key`; without it, none of them apply. */
  admission?: UploadAdmission;
}

/** `Idempotency-Key`: a visible-ASCII token (draft-ietf-httpapi-idempotency-key-header). */
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

const IdempotencyHeaders = z.object({
  'idempotency-key': z.string().optional().openapi({
    description:
      'Makes a retry safe: a repeat with the same key and the same file contents (within 24 hours) is answered with the first response (`Idempotent-Replayed: true`) and stores nothing; the same key with different contents is 422 `IDEMPOTENCY_KEY_REUSED`; while the first request is still running, 409 `CONFLICT`. Keys are per user (or API key). 1 to 255 visible ASCII characters.',
  }),
});

/**
 * A refusal sent before the body was read: the rest of the body is discarded and the
 * connection closed after the answer (lingering, see `http/lingering-close.ts`, so the client
 * reads the answer rather than a reset).
 */
function discardAndClose(c: {
  env: { incoming: IncomingMessage };
  header(name: string, value: string): void;
}): void {
  const incoming = c.env.incoming;
  if (!incoming.readableEnded && !incoming.destroyed) incoming.resume();
  c.header('Connection', 'close');
}

/**
 * `POST /api/v1/files`: one or more files as multipart/form-data, streamed to storage.
 * Answers 201 with `{ files: [...] }`. A refusal answers with its error; files of the same
 * request that were completely stored before it are kept and listed in `details.stored`.
 */
export function registerUploadRoute(app: ApiApp, forge: Forge, options: UploadRouteOptions): void {
  app.openapi(
    secureRoute({
      method: 'post',
      path: '/api/v1/files',
      tags: ['Files'],
      summary: 'Upload files (multipart/form-data, streamed)',
      description:
        'Each file part is stored as it arrives. MAX_FILE_SIZE applies per file; a refused file ends the request and files before it in the same request stay stored (listed in `details.stored`). Refused before any byte is stored: 503 `BUSY` (with `Retry-After`) while the processing queue is over QUEUE_MAX_DEPTH, and 413 `QUOTA_EXCEEDED` when the request (its Content-Length, or its running count without one) would take the tenant past its quota.',
      request: {
        headers: IdempotencyHeaders,
        body: { required: true, content: { 'multipart/form-data': { schema: UploadBodySchema } } },
      },
      errors: [400, 408, 409, 413, 415, 422, 503, 507],
      responses: {
        201: {
          description: 'Stored; processing follows',
          content: { 'application/json': { schema: z.object({ files: z.array(FileSchema) }) } },
        },
      },
    }),
    async (c) => {
      const incoming = c.env.incoming;
      const principal = principalOf(c);
      /** A refusal before the body is read: the client sees it, then the connection closes. */
      const refuseUnread = (error: unknown): never => {
        discardAndClose(c);
        throw error;
      };
      if (forge.closing || options.isDraining()) {
        refuseUnread(new FileForgeError(ErrorCode.SHUTTING_DOWN, 'Shutting down'));
      }
      const admission = options.admission;
      const limits = { maxFileSize: forge.options.maxFileSize, maxFiles: options.maxFilesPerRequest };
      const key = c.req.header('idempotency-key');
      let claimed: { tenant: string; principal: string; key: string } | undefined;
      if (admission && key !== undefined) {
        if (!IDEMPOTENCY_KEY.test(key)) {
          refuseUnread(
            new FileForgeError(
              ErrorCode.BAD_REQUEST,
              'Idempotency-Key must be 1 to 255 visible ASCII characters',
            ),
          );
        }
        const scope = { tenant: principal.tenant, principal: principal.userId ?? `key:${principal.id}`, key };
        const now = admission.now();
        const claim = await admission.idempotency.claim(scope, {
          holder: admission.holder,
          leaseUntil: new Date(now + admission.leaseMs).toISOString(),
          expiresAt: new Date(now + admission.idempotencyTtlMs).toISOString(),
          now: new Date(now).toISOString(),
        });
        if (claim.state === 'in-flight') {
          refuseUnread(
            new FileForgeError(
              ErrorCode.CONFLICT,
              'A request with this Idempotency-Key is still in progress',
              {
                details: { retryAfterSeconds: 1 },
              },
            ),
          );
        }
        if (claim.state === 'answered') {
          // A retry: read it (storing nothing) to tell a true repeat from a reused key, held
          // to an upload's size and time limits.
          const declared = Number(incoming.headers['content-length']);
          if (Number.isFinite(declared) && declared > maxRequestBytes(limits)) {
            refuseUnread(fileTooLarge(limits.maxFileSize));
          }
          const fingerprint = await fingerprintOfBody(incoming, limits, uploadWatch(options)).catch(
            refuseUnread,
          );
          if (fingerprint !== claim.fingerprint) {
            throw new FileForgeError(
              ErrorCode.IDEMPOTENCY_KEY_REUSED,
              'This Idempotency-Key was used for a request with different files; use a new key',
            );
          }
          const files = (JSON.parse(claim.response) as { files?: Array<{ links?: { self?: string } }> })
            .files;
          const self = files?.length === 1 ? files[0]?.links?.self : undefined;
          return new Response(claim.response, {
            status: claim.status,
            headers: {
              'Content-Type': 'application/json',
              'Idempotent-Replayed': 'true',
              ...(self ? { Location: self } : {}),
            },
          }) as never;
        }
        claimed = scope;
      }
      let answered = false;
      let reservation: UploadReservation | undefined;
      try {
        const declared = Number(incoming.headers['content-length']);
        const known = Number.isFinite(declared);
        if (admission && !(known && declared > maxRequestBytes(limits))) {
          try {
            await admission.checkQueue();
            reservation = await admission.reserve(principal.tenant, {
              bytes: known ? declared : 0,
              files: 1,
            });
          } catch (error) {
            refuseUnread(error);
          }
        }
        const result = await receiveAndAnswer(c, reservation ? { reservation, metered: !known } : undefined);
        if (claimed && admission && result.status === 201) {
          await admission.idempotency.answer(claimed, admission.holder, {
            fingerprint: fingerprintOfRecords(result.records),
            status: 201,
            response: result.body,
          });
          answered = true;
        }
        return result.response;
      } finally {
        await reservation?.release();
        if (claimed && admission && !answered) await admission.idempotency.abandon(claimed, admission.holder);
      }
    },
  );

  async function receiveAndAnswer(
    c: Parameters<Parameters<typeof app.openapi>[1]>[0],
    quota: { reservation: UploadReservation; metered: boolean } | undefined,
  ) {
    const incoming = c.env.incoming;
    const principal = principalOf(c);
    const outcome = await receiveUpload(forge, incoming, {
      ...(quota ? { quota } : {}),
      maxFileSize: forge.options.maxFileSize,
      maxFiles: options.maxFilesPerRequest,
      idleTimeoutMs: options.idleTimeoutMs,
      minBytesPerSecond: options.minBytesPerSecond,
      rateWindowMs: options.rateWindowMs,
      tenant: principal.tenant,
      ownerId: principal.userId,
      ...(principal.kind === 'api_key' ? { apiKeyId: principal.id } : {}),
    });
    if (outcome.ok) {
      await auditUploads(c, outcome.files);
      options.onStored?.(outcome.files);
      const files = outcome.files.map(fileResource);
      crashPoint('upload', 'before-response');
      const body = JSON.stringify({ files });
      return {
        status: 201,
        records: outcome.files,
        body,
        response: c.json({ files }, 201, files.length === 1 ? { Location: files[0]!.links.self } : {}),
      };
    }
    if (outcome.bodyUnread) discardAndClose(c);
    await auditUploads(c, outcome.stored, outcome.error);
    const stored = outcome.stored.map((r) => ({ id: r.id, name: r.name }));
    const error =
      stored.length === 0
        ? outcome.error
        : new FileForgeError(outcome.error.code, outcome.error.message, {
            cause: outcome.error,
            details: { ...outcome.error.details, stored },
          });
    // Refusals are thrown and rendered by the app's error handler, like every route's.
    throw error;
  }
}

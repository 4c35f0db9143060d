/**
 * The one error type the client throws for a refused request or a failed transport.
 * @module
 */

/** The body every FileForge error response carries. */
interface ErrorBody {
  error?: { code?: unknown; message?: unknown; requestId?: unknown; details?: unknown };
}

/** Options for {@link FileForgeClientError}. */
export interface FileForgeClientErrorOptions {
  /** HTTP status of the response; `0` when no response arrived (network error, abort). */
  status: number;
  /** The request id the server logged it under (`error.requestId` or `X-Request-Id`). */
  requestId?: string | undefined;
  /** Structured details the server sent (`error.details`), e.g. `stored`, `retryAfterSeconds`. */
  details?: Record<string, unknown> | undefined;
  /** The underlying error (a network failure, an abort). */
  cause?: unknown;
}

/**
 * A request the server refused (its stable `code`, e.g. `NOT_FOUND`, `FILE_TOO_LARGE`,
 * `RATE_LIMITED`), or one that never got an answer (`NETWORK_ERROR`, `ABORTED`,
 * `TIMEOUT`, `INVALID_RESPONSE`, all with `status` 0 or the status seen; `SOURCE_ERROR`: the
 * file an upload was reading failed, its error as `cause`).
 */
export class FileForgeClientError extends Error {
  override readonly name = 'FileForgeClientError';
  /** The server's stable error code, or a client-side one (`NETWORK_ERROR`, `ABORTED`, `TIMEOUT`, `SOURCE_ERROR`). */
  readonly code: string;
  /** HTTP status; `0` when no response arrived. */
  readonly status: number;
  /** The server's request id, to quote when reporting a problem. */
  readonly requestId: string | undefined;
  /** The server's `error.details`; `{}` when it sent none. */
  readonly details: Record<string, unknown>;

  /** Creates an error with the server's `code` and `message`. */
  constructor(code: string, message: string, options: FileForgeClientErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = options.status;
    this.requestId = options.requestId;
    this.details = options.details ?? {};
  }
}

/**
 * Whether `value` is a {@link FileForgeClientError} (also across bundles, where `instanceof`
 * can fail because two copies of the class are loaded).
 */
export function isFileForgeClientError(value: unknown): value is FileForgeClientError {
  return (
    value instanceof FileForgeClientError ||
    (value instanceof Error &&
      value.name === 'FileForgeClientError' &&
      typeof (value as { code?: unknown }).code === 'string' &&
      typeof (value as { status?: unknown }).status === 'number')
  );
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Reads an error response (consuming its body) into a {@link FileForgeClientError}. */
export async function errorFromResponse(response: Response): Promise<FileForgeClientError> {
  const headerId = response.headers.get('x-request-id') ?? undefined;
  let body: ErrorBody | undefined;
  try {
    const text = await response.text();
    body = text ? (JSON.parse(text) as ErrorBody) : undefined;
  } catch {
    body = undefined;
  }
  const error = isRecord(body?.error) ? body.error : {};
  const code = typeof error.code === 'string' ? error.code : `HTTP_${response.status}`;
  const message =
    typeof error.message === 'string' ? error.message : `The server answered ${response.status}`;
  return new FileForgeClientError(code, message, {
    status: response.status,
    requestId: typeof error.requestId === 'string' ? error.requestId : headerId,
    details: isRecord(error.details) ? error.details : undefined,
  });
}

/** Converts an abort or a network failure (anything `fetch` threw) into a client error. */
export function errorFromFailure(thrown: unknown, signal?: AbortSignal): FileForgeClientError {
  if (isFileForgeClientError(thrown)) return thrown;
  const aborted = signal?.aborted || (thrown instanceof Error && thrown.name === 'AbortError');
  if (aborted) {
    const reason = signal?.reason;
    const timedOut = reason instanceof Error && reason.name === 'TimeoutError';
    return new FileForgeClientError(
      timedOut ? 'TIMEOUT' : 'ABORTED',
      timedOut ? 'The request timed out' : 'The request was aborted',
      { status: 0, cause: reason ?? thrown },
    );
  }
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  return new FileForgeClientError('NETWORK_ERROR', `Could not reach the FileForge server: ${message}`, {
    status: 0,
    cause: thrown,
  });
}

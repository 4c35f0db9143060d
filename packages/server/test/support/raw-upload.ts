/**
 * Uploads over node:http, for what fetch cannot do: flushing headers before the body,
 * declaring a Content-Length and sending less, chunked bodies written by hand, and
 * destroying the socket mid-upload.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { type ClientRequest, type IncomingMessage, request } from 'node:http';

/** The bytes around one file part of a multipart body. */
export interface MultipartFrame {
  contentType: string;
  head: Buffer;
  tail: Buffer;
}

/** Builds the framing of a one-file multipart/form-data body. */
export function multipartFrame(filename: string, type = 'application/octet-stream'): MultipartFrame {
  const boundary = `----fileforge-test-${randomBytes(8).toString('hex')}`;
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    head: Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\n` +
        `Content-Type: ${type}\r\n\r\n`,
    ),
    tail: Buffer.from(`\r\n--${boundary}--\r\n`),
  };
}

/** A response read to the end. */
export interface RawResponse {
  status: number;
  headers: IncomingMessage['headers'];
  text: string;
}

/** Reads a response body to the end. */
export async function readResponse(res: IncomingMessage): Promise<RawResponse> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  return { status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') };
}

/** Client errors expected once the server has answered and closed the connection. */
const isConnectionClosed = (error: NodeJS.ErrnoException) =>
  error.code === 'EPIPE' || error.code === 'ECONNRESET' || error.code === 'ERR_STREAM_DESTROYED';

/** An upload request in flight: its response (once it arrives) and the request to write to. */
export interface OpenUpload {
  req: ClientRequest;
  response: Promise<IncomingMessage>;
  /** Set once the response headers arrived. */
  answered: () => boolean;
  /** Writes a chunk, waiting for `drain` when the socket is full. Resolves false if the connection is gone. */
  write(chunk: Buffer): Promise<boolean>;
}

/**
 * Opens `POST /api/v1/files` with `headers` and flushes them at once, before any body.
 * Errors after the server answered (it may close the connection on a refusal) are ignored;
 * errors before it reject `response`.
 */
export function openUpload(baseUrl: string, headers: Record<string, string>): OpenUpload {
  const req = request(new URL('/api/v1/files', baseUrl), { method: 'POST', headers });
  let answered = false;
  let gone = false;
  const response = new Promise<IncomingMessage>((resolve, reject) => {
    req.once('response', (res) => {
      answered = true;
      resolve(res);
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      gone = true;
      if (!(answered && isConnectionClosed(error))) reject(error);
    });
  });
  response.catch(() => {}); // observed by the caller; never an unhandled rejection
  req.flushHeaders();
  return {
    req,
    response,
    answered: () => answered,
    write(chunk) {
      if (gone || req.destroyed) return Promise.resolve(false);
      return new Promise((resolve) => {
        const ok = req.write(chunk, (error) => {
          if (error) gone = true;
        });
        if (ok) return resolve(true);
        const settle = () => {
          req.off('drain', settle);
          req.off('close', settle);
          resolve(!gone && !req.destroyed);
        };
        req.once('drain', settle);
        req.once('close', settle);
      });
    },
  };
}

/** Resolves with `promise`, or rejects with `message` after `ms`. */
export function within<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

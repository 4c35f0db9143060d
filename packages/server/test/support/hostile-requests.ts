/**
 * Requests for the hostile-input catalogue that no client library sends as written:
 * multipart bodies with hand-written part headers, whole requests over a bare socket from a
 * chosen loopback address, and the outcome (status and error code) they earn.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { openConnection, type RawConnection, type RawHttpResponse, requestHead } from './raw-http.js';
import { within } from './raw-upload.js';
import type { FileResource, TestServer } from './server.js';

/** What a case observed: the status (or `closed` when the server answered nothing) and the error code. */
export interface CaseOutcome {
  status: number | 'closed';
  code: string | null;
  /** Records the case meant to create (accepted uploads); anything else stored is a failure. */
  storedIds?: string[];
}

/** One part of a hand-written multipart body: its raw header lines and its content. */
export interface RawPart {
  headers: string[];
  body: string | Buffer;
}

/** A multipart/form-data body with exactly the part headers given. */
export function multipartBody(parts: RawPart[]): { contentType: string; body: Buffer } {
  const boundary = `----hostile-${randomBytes(6).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    chunks.push(Buffer.from(`--${boundary}\r\n${part.headers.map((h) => `${h}\r\n`).join('')}\r\n`, 'utf8'));
    chunks.push(Buffer.isBuffer(part.body) ? part.body : Buffer.from(part.body, 'utf8'));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { contentType: `multipart/form-data; boundary=${boundary}`, body: Buffer.concat(chunks) };
}

/** A file part whose `Content-Disposition` carries `disposition` verbatim after `form-data; name="file"; `. */
export function filePart(disposition: string, body: string | Buffer = 'hostile\n'): RawPart {
  return {
    headers: [`Content-Disposition: form-data; name="file"; ${disposition}`, 'Content-Type: text/plain'],
    body,
  };
}

/** The error code of a JSON error body, or null for anything else (Node's own bare answers). */
export function codeOf(body: string): string | null {
  try {
    return (JSON.parse(body) as { error?: { code?: string } }).error?.code ?? null;
  } catch {
    return null;
  }
}

/** Options for {@link sendRaw}. */
export interface SendRawOptions {
  method?: string;
  path: string;
  headers?: Record<string, string | number>;
  body?: Buffer | string;
  /** Send as this client (127.0.0.x). */
  localAddress?: string;
  /** Add the server's admin credentials. @default true */
  auth?: boolean;
}

/** Sends one request as written over a fresh connection and reads the first response. */
export async function sendRaw(server: TestServer, options: SendRawOptions): Promise<RawHttpResponse> {
  const connection = await openConnection(
    server.url,
    options.localAddress ? { localAddress: options.localAddress } : {},
  );
  try {
    const headers = { ...(options.auth === false ? {} : server.authHeaders), ...options.headers };
    connection.send(requestHead(options.method ?? 'GET', options.path, headers));
    if (options.body !== undefined) connection.send(options.body);
    return await within(connection.response(), 15_000, `no answer to ${options.method} ${options.path}`);
  } finally {
    connection.socket.destroy();
  }
}

/** POSTs a hand-written multipart body to the upload route; the outcome lists any files it stored. */
export async function uploadRaw(
  server: TestServer,
  parts: RawPart[],
): Promise<CaseOutcome & { files: FileResource[] }> {
  const { contentType, body } = multipartBody(parts);
  const res = await sendRaw(server, {
    method: 'POST',
    path: '/api/v1/files',
    headers: { 'Content-Type': contentType, 'Content-Length': body.length },
    body,
  });
  return outcomeOf(res);
}

/** The outcome of an upload answer, with the records it created (201 `files`, or `details.stored` of a refusal). */
export function outcomeOf(res: RawHttpResponse): CaseOutcome & { files: FileResource[] } {
  let parsed: { files?: FileResource[]; error?: { details?: { stored?: FileResource[] } } } = {};
  try {
    parsed = JSON.parse(res.body);
  } catch {}
  const files = parsed.files ?? parsed.error?.details?.stored ?? [];
  return { status: res.status, code: codeOf(res.body), storedIds: files.map((f) => f.id), files };
}

/**
 * Reduces the outcomes of several variants of one attack to one: theirs when they all agree,
 * else a status naming each variant's answer, so the failure message says which one differed.
 */
export function sameOutcome(outcomes: Array<[string, CaseOutcome]>): CaseOutcome {
  const first = outcomes[0]![1];
  const agree = outcomes.every(([, o]) => o.status === first.status && o.code === first.code);
  const storedIds = [...new Set(outcomes.flatMap(([, o]) => o.storedIds ?? []))];
  if (agree) return { status: first.status, code: first.code, storedIds };
  const detail = outcomes.map(([label, o]) => `${label} → ${o.status} ${o.code}`).join('; ');
  return { status: -1, code: detail, storedIds };
}

/** Opens `count` connections from `localAddress`, each having answered one `/health`, left open (idle keep-alive). */
export async function holdConnections(
  server: TestServer,
  localAddress: string,
  count: number,
): Promise<RawConnection[]> {
  const held: RawConnection[] = [];
  for (let i = 0; i < count; i++) {
    const connection = await openConnection(server.url, { localAddress });
    held.push(connection);
    connection.send(requestHead('GET', '/health'));
    await within(connection.response(), 10_000, 'no answer to GET /health');
  }
  return held;
}

/**
 * One request over node:http (its own connection, the path sent as written, HEAD handled),
 * from `localAddress` when given.
 */
export function httpRequest(
  server: TestServer,
  options: Omit<SendRawOptions, 'body'>,
): Promise<RawHttpResponse> {
  const headers = { ...(options.auth === false ? {} : server.authHeaders), ...options.headers };
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(server.url);
    const req = request(
      {
        host: hostname,
        port: Number(port),
        path: options.path,
        method: options.method ?? 'GET',
        headers,
        agent: false,
        ...(options.localAddress ? { localAddress: options.localAddress } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const flat: Record<string, string> = {};
          for (const [name, value] of Object.entries(res.headers)) flat[name] = String(value);
          resolve({
            status: res.statusCode ?? 0,
            headers: flat,
            body: Buffer.concat(chunks).toString('utf8'),
          });
        });
      },
    );
    req.on('error', reject);
    req.setTimeout(15_000, () => req.destroy(new Error(`no answer to ${options.method} ${options.path}`)));
    req.end();
  });
}

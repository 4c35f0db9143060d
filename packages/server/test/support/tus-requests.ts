/**
 * Raw tus requests (fetch) for the protocol tests, and a second tenant's credentials.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { ADMIN, type TestServer } from './server.js';

const PASSWORD_FOR_TESTS = ADMIN.password;

export const TUS = { 'Tus-Resumable': '1.0.0' };
export const OCTETS = { 'Content-Type': 'application/offset+octet-stream' };

/** Creates an upload of `length` bytes; returns its path (`/api/v1/uploads/<id>`). */
export async function createUpload(
  s: TestServer,
  length: number,
  metadata: Record<string, string> = { filename: 'note.txt' },
): Promise<string> {
  const res = await s.api('/api/v1/uploads', {
    method: 'POST',
    headers: {
      ...TUS,
      'Upload-Length': String(length),
      'Upload-Metadata': Object.entries(metadata)
        .map(([k, v]) => `${k} ${Buffer.from(v).toString('base64')}`)
        .join(','),
    },
  });
  if (res.status !== 201) throw new Error(`creation answered ${res.status}: ${await res.text()}`);
  return new URL(res.headers.get('location')!, s.url).pathname;
}

/** PATCHes `bytes` at `offset` (with a sha256 `Upload-Checksum` of `checksumOf` when given). */
export function patch(
  s: TestServer,
  path: string,
  offset: number,
  bytes: Uint8Array | ReadableStream<Uint8Array>,
  checksumOf?: Uint8Array,
): Promise<Response> {
  return s.api(path, {
    method: 'PATCH',
    headers: {
      ...TUS,
      ...OCTETS,
      'Upload-Offset': String(offset),
      ...(checksumOf
        ? { 'Upload-Checksum': `sha256 ${createHash('sha256').update(checksumOf).digest('base64')}` }
        : {}),
    },
    body: bytes,
    ...(bytes instanceof ReadableStream ? { duplex: 'half' } : {}),
  } as RequestInit);
}

/** The upload's offset by HEAD. */
export async function headOffset(s: TestServer, path: string): Promise<number | string> {
  const res = await s.api(path, { method: 'HEAD', headers: TUS });
  return res.status === 200 ? Number(res.headers.get('upload-offset')) : `status ${res.status}`;
}

/** Authorization headers of an admin of another tenant. */
export async function otherTenantHeaders(s: TestServer): Promise<Record<string, string>> {
  const user = await s.server.auth.createUser({
    email: 'admin@other.example',
    password: PASSWORD_FOR_TESTS,
    role: 'admin',
    tenant: 'other',
  });
  const { key } = await s.server.auth.createApiKey(
    { kind: 'user', id: user.id, userId: user.id, tenant: 'other', role: 'admin' },
    { name: 'other', role: 'admin' },
  );
  return { Authorization: `Bearer ${key}` };
}

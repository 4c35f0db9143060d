/**
 * The HTTP calls the embedding examples' tests make against FileForge's API: a multipart
 * upload, polling until processing has finished, and the download.
 *
 * @module
 */

/** A file as `GET /api/v1/files/{id}` returns it (the fields the tests read). */
export interface FileResource {
  id: string;
  name: string;
  size: number;
  status: string;
}

const FINAL = new Set(['processed', 'failed', 'rejected']);

/**
 * Uploads `bytes` as `name` to the API under `apiBase` (e.g. `http://127.0.0.1:3000/fileforge`)
 * with `Authorization: Bearer <credential>`, waits until the file is processed (or failed) and
 * downloads it again.
 */
export async function uploadAndDownload(
  apiBase: string,
  credential: string,
  name: string,
  bytes: Buffer,
): Promise<{ file: FileResource; downloaded: Buffer }> {
  const headers = { Authorization: `Bearer ${credential}` };
  const form = new FormData();
  form.append('file', new File([new Uint8Array(bytes)], name));
  const uploaded = await fetch(`${apiBase}/api/v1/files`, { method: 'POST', body: form, headers });
  if (uploaded.status !== 201)
    throw new Error(`upload answered ${uploaded.status}: ${await uploaded.text()}`);
  const [created] = ((await uploaded.json()) as { files: FileResource[] }).files;
  if (!created) throw new Error('the upload answered no file');

  const deadline = Date.now() + 30_000;
  let file = created;
  while (!FINAL.has(file.status)) {
    if (Date.now() > deadline) throw new Error(`file ${created.id} still ${file.status} after 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const res = await fetch(`${apiBase}/api/v1/files/${created.id}`, { headers });
    file = (await res.json()) as FileResource;
  }
  const download = await fetch(`${apiBase}/api/v1/files/${created.id}/download`, { headers });
  if (download.status !== 200) throw new Error(`download answered ${download.status}`);
  return { file, downloaded: Buffer.from(await download.arrayBuffer()) };
}

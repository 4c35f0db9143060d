/**
 * Uploads every file of a folder to a FileForge server with the typed client, a few at a
 * time, waits until each is processed, and prints a summary (exit code 1 if any failed).
 *
 *   FILEFORGE_URL=http://127.0.0.1:8000 FILEFORGE_API_KEY=ff_… FOLDER=./scans npm start -w examples/client-upload-folder
 */
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createClient, isFileForgeClientError } from '@fileforge/client';

const apiKey = process.env.FILEFORGE_API_KEY;
const folder = process.env.FOLDER;
if (!apiKey || !folder) {
  console.error('Set FILEFORGE_API_KEY (an API key of the server) and FOLDER (the folder to upload)');
  process.exit(2);
}
const client = createClient({ baseUrl: process.env.FILEFORGE_URL ?? 'http://127.0.0.1:8000', apiKey });
const concurrency = Number(process.env.CONCURRENCY ?? 4);

const dir = resolve(folder);
const names: string[] = [];
for (const entry of await readdir(dir, { withFileTypes: true })) {
  if (entry.isFile() && !entry.name.startsWith('.')) names.push(entry.name);
}
names.sort();
console.log(`uploading ${names.length} file(s) from ${dir}`);

/** Uploads one file (streamed from disk) and waits until processing has settled. */
async function uploadOne(name: string): Promise<boolean> {
  const path = join(dir, name);
  try {
    const { size } = await stat(path);
    const stored = await client.files.upload(createReadStream(path), { name, size });
    const file = await client.files.waitFor(stored.id, { status: ['processed', 'failed', 'rejected'] });
    console.log(`${file.status.padEnd(9)} ${name} (${file.size} bytes, ${file.mime}) ${file.id}`);
    return file.status === 'processed';
  } catch (error) {
    // The server's refusal (413 FILE_TOO_LARGE, 415 UNSUPPORTED_TYPE, …) names its code.
    const reason = isFileForgeClientError(error) ? `${error.status} ${error.code}` : (error as Error).message;
    console.log(`failed    ${name}: ${reason}`);
    return false;
  }
}

let next = 0;
let processed = 0;
const worker = async () => {
  while (next < names.length) {
    const name = names[next++]!;
    if (await uploadOne(name)) processed += 1;
  }
};
await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
console.log(`done: ${processed} of ${names.length} processed`);
process.exitCode = processed === names.length ? 0 : 1;

import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createForge, type Forge } from '@fileforge/core';
import { defaultProcessors } from '@fileforge/processors';
import { createLogger, type RunningServer, startServer } from '@fileforge/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runExample, stopExamples } from '../test-support/run-example.js';

let root: string;
let forge: Forge;
let server: RunningServer;
let apiKey: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'fileforge-client-example-'));
  forge = await createForge({
    dataDir: join(root, 'data'),
    processors: defaultProcessors(),
    maxFileSize: 1024 * 1024,
  });
  server = await startServer({
    forge,
    port: 0,
    host: '127.0.0.1',
    tokens: { secret: randomBytes(32).toString('hex') },
    bcryptRounds: 4,
    logger: createLogger('silent'),
  });
  const admin = await server.auth.setup('admin@example.test', 'a long enough password');
  ({ key: apiKey } = await server.auth.createApiKey(
    { kind: 'user', id: admin.id, userId: admin.id, tenant: admin.tenant, role: admin.role },
    { name: 'uploader', role: 'editor' },
  ));
});

afterEach(async () => {
  await stopExamples();
  await server.close();
  await rm(root, { recursive: true, force: true });
});

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('examples/client-upload-folder', () => {
  it('uploads every file of a folder, waits for processing, and reports a refused one', async () => {
    const folder = join(root, 'scans');
    await mkdir(folder);
    const files = new Map<string, Buffer>();
    for (let i = 1; i <= 8; i += 1)
      files.set(`page-${i}.txt`, Buffer.from(`page ${i}\n${'lorem ipsum '.repeat(i * 50)}`));
    files.set('photo.bin', randomBytes(200 * 1024).fill(0, 0, 8)); // no magic number by chance
    for (const [name, bytes] of files) await writeFile(join(folder, name), bytes);
    await writeFile(join(folder, 'huge.bin'), randomBytes(2 * 1024 * 1024)); // over the server's 1 MiB cap

    const run = await runExample('client-upload-folder', {
      FILEFORGE_URL: server.url,
      FILEFORGE_API_KEY: apiKey,
      FOLDER: folder,
    });
    expect(run.stdout).toContain('uploading 10 file(s)');
    expect(run.stdout).toMatch(/failed {4}huge\.bin: 413 FILE_TOO_LARGE/);
    expect(run.stdout).toContain('done: 9 of 10 processed');
    expect(run.code).toBe(1);

    const { items } = await forge.files.list({ limit: 100 });
    expect(items.map((f) => [f.name, f.sha256, f.status]).sort()).toEqual(
      [...files].map(([name, bytes]) => [name, sha256(bytes), 'processed']).sort(),
    );
  }, 120_000);

  it('says what to set when the API key or the folder is missing', async () => {
    const run = await runExample('client-upload-folder', { FILEFORGE_API_KEY: '', FOLDER: '' });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Set FILEFORGE_API_KEY');
  });
});

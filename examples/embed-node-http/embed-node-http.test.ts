import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { uploadAndDownload } from '../test-support/file-api.js';
import { runExample, startExample, stopExamples } from '../test-support/run-example.js';

afterEach(stopExamples);

const ADMIN = { email: 'ops@intranet.test', password: 'a long enough password' };

describe('examples/embed-node-http', () => {
  it("answers its own paths and serves FileForge's API under /files: log in, upload, download", async () => {
    const example = startExample('embed-node-http', {
      PORT: '0',
      BCRYPT_ROUNDS: '4',
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
    });
    const [, base] = await example.waitFor(/listening on (http:\/\/\S+?)\/? /);
    expect(example.output().stdout).toContain(`created the admin ${ADMIN.email}`);

    expect(await (await fetch(`${base}/status`)).json()).toEqual({
      app: 'intranet',
      files: '/files/api/v1/files',
    });
    expect((await fetch(`${base}/api/v1/files`)).status).toBe(404); // FileForge lives under /files only

    const login = await fetch(`${base}/files/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ADMIN),
    });
    expect(login.status).toBe(200);
    const { accessToken } = (await login.json()) as { accessToken: string };

    const bytes = randomBytes(512 * 1024).fill(0, 0, 8); // no magic number by chance (an MP3 frame sync…)
    const { file, downloaded } = await uploadAndDownload(`${base}/files`, accessToken, 'handbook.bin', bytes);
    expect(file).toMatchObject({ name: 'handbook.bin', size: bytes.length, status: 'processed' });
    expect(Buffer.compare(downloaded, bytes)).toBe(0);

    expect((await fetch(`${base}/files/api/v1/files`)).status).toBe(401);
    expect((await example.stop()).code).toBe(0);
  }, 120_000);

  it('refuses to start on a new data directory without ADMIN_PASSWORD', async () => {
    const run = await runExample('embed-node-http', { PORT: '0', ADMIN_PASSWORD: '' });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Set ADMIN_PASSWORD');
  }, 120_000);
});

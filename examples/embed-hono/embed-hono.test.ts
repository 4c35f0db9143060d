import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { uploadAndDownload } from '../test-support/file-api.js';
import { startExample, stopExamples } from '../test-support/run-example.js';

afterEach(stopExamples);

describe('examples/embed-hono', () => {
  it("serves the app's own routes and FileForge's API under /fileforge: upload, process, download", async () => {
    const example = startExample('embed-hono', {
      PORT: '0',
      BCRYPT_ROUNDS: '4',
      ADMIN_EMAIL: 'owner@shop.test',
      ADMIN_PASSWORD: 'a long enough password',
    });
    const [, apiKey] = await example.waitFor(/admin API key: (ff_\S+)/);
    const [, base] = await example.waitFor(/listening on (http:\/\/\S+?)\/? /);

    const home = await fetch(`${base}/`);
    expect(await home.text()).toContain('Acme Shop');

    const bytes = randomBytes(300 * 1024).fill(0, 0, 8); // no magic number by chance (an MP3 frame sync…)
    const { file, downloaded } = await uploadAndDownload(
      `${base}/fileforge`,
      apiKey!,
      'price-list.bin',
      bytes,
    );
    expect(file.status).toBe('processed');
    expect(Buffer.compare(downloaded, bytes)).toBe(0);

    // The app's own route reads the same forge.
    const recent = (await (await fetch(`${base}/shop/recent-files`)).json()) as Array<{ id: string }>;
    expect(recent.map((f) => f.id)).toContain(file.id);

    // JSON bodies reach FileForge too: the admin logs in under the prefix.
    const login = await fetch(`${base}/fileforge/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'owner@shop.test', password: 'a long enough password' }),
    });
    expect(login.status).toBe(200);
    const { accessToken } = (await login.json()) as { accessToken: string };
    const listed = await fetch(`${base}/fileforge/api/v1/files`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(((await listed.json()) as { items: Array<{ name: string }> }).items.map((f) => f.name)).toEqual([
      'price-list.bin',
    ]);

    // FileForge's authentication holds under the prefix.
    const anonymous = await fetch(`${base}/fileforge/api/v1/files`);
    expect(anonymous.status).toBe(401);

    expect((await example.stop()).code).toBe(0);
  }, 120_000);
});

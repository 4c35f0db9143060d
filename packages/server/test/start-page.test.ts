import { afterEach, describe, expect, it } from 'vitest';
import { makePng } from './support/fixtures.js';
import { startTestServer, stopTestServers } from './support/server.js';

afterEach(stopTestServers);

describe('start page', () => {
  it('shows an upload form and the uploaded files', async () => {
    const { api } = await startTestServer();
    const form = new FormData();
    form.append('file', new File([makePng(4, 4)], 'holiday <2024>.png'));
    expect((await api(`/api/v1/files`, { method: 'POST', body: form })).status).toBe(201);

    const res = await api(`/?view=list`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toMatch(
      /<form[^>]+action="\/api\/v1\/files"[^>]+method="post"[^>]+enctype="multipart\/form-data"/,
    );
    expect(html).toContain('<input type="file" name="file"');
    // The name is listed, escaped: a file name never becomes markup.
    expect(html).toContain('holiday &lt;2024&gt;.png');
    expect(html).not.toContain('holiday <2024>.png');
    expect(html).toContain('image/png');
  });
});

describe('static assets', () => {
  it('answers 404 for names that are only properties of every object, never 500', async () => {
    const s = await startTestServer();
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      for (const path of [`/docs/assets/${name}`, `/assets/${name}`]) {
        const res = await fetch(`${s.url}${path}`);
        expect(res.status, path).toBe(404);
      }
    }
    expect((await fetch(`${s.url}/docs/assets/init.js`)).status).toBe(200);
  });
});

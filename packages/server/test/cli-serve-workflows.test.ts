/**
 * `fileforge serve` offers the processor operations as workflow steps: a workflow using
 * `image.thumbnail` or `document.preview` is saved over HTTP and its steps run in the server.
 */
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, killHard, loginAsAdmin, serveEnv, spawnCli, waitForHealthy } from './support/child.js';
import { makeTempDir, stopTestServers } from './support/server.js';

afterEach(stopTestServers);

describe('fileforge serve: processor operations as workflow steps', () => {
  it('saves a workflow using image.thumbnail and document.preview, and runs the thumbnail step', {
    timeout: 120_000,
  }, async () => {
    const port = await freePort();
    const dataDir = await makeTempDir('fileforge-serve-workflows-');
    const server = spawnCli(['serve'], serveEnv(port, dataDir));
    try {
      const url = `http://127.0.0.1:${port}`;
      await waitForHealthy(url, server);
      const auth = await loginAsAdmin(url);
      const json = { ...auth, 'Content-Type': 'application/json' };
      const saved = await fetch(`${url}/api/v1/workflows`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({
          name: 'thumb-and-preview',
          on: { manual: true },
          steps: {
            thumb: { uses: 'image.thumbnail', with: { size: 64, format: 'webp' } },
            // not a PDF here: the step fails, the run goes on
            preview: { uses: 'document.preview', onError: 'continue' },
          },
        }),
      });
      const workflow = (await saved.json()) as { id: string };
      expect(saved.status, JSON.stringify(workflow)).toBe(201);

      const png = await sharp({ create: { width: 320, height: 200, channels: 3, background: '#3a7' } })
        .png()
        .toBuffer();
      const form = new FormData();
      form.append('file', new Blob([png], { type: 'image/png' }), 'green.png');
      const uploaded = await fetch(`${url}/api/v1/files`, { method: 'POST', headers: auth, body: form });
      const { files } = (await uploaded.json()) as { files: Array<{ id: string }> };
      const fileId = files[0]!.id;

      const started = await fetch(`${url}/api/v1/workflows/${workflow.id}/runs`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ fileId }),
      });
      expect(started.status).toBe(202);
      const { id: runId } = (await started.json()) as { id: string };
      let run: { status: string; steps: Array<{ name: string; status: string }> } | undefined;
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline) {
        const res = await fetch(`${url}/api/v1/workflows/${workflow.id}/runs/${runId}`, { headers: auth });
        run = (await res.json()) as typeof run;
        if (run && ['completed', 'failed', 'cancelled'].includes(run.status)) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(run).toMatchObject({ status: 'completed' });
      const derivatives = await fetch(`${url}/api/v1/files/${fileId}/derivatives`, { headers: auth });
      const names = (await derivatives.json()) as
        | { items?: Array<{ name: string }> }
        | Array<{ name: string }>;
      const list = Array.isArray(names) ? names : (names.items ?? []);
      expect(list.map((d) => d.name)).toContain('thumbnail-64.webp');
    } finally {
      await killHard(server);
    }
  });
});

/**
 * Links the page does not fetch itself (Download) still work once the access token has
 * expired: the click checks the session first, which refreshes it.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, describe, expect } from 'vitest';
import { ADMIN, makeTempDir, startTestServer, stopTestServers, TOKEN_SECRET } from './support/server.js';
import { itInBrowser, openUiBrowser, signIn, type UiBrowser } from './support/ui-browser.js';

let ui: UiBrowser | undefined;
afterAll(async () => {
  await ui?.close();
  await stopTestServers();
});

describe('web UI: links after the access token expired', () => {
  itInBrowser('downloads a file from its page after the access token expired', async () => {
    const s = await startTestServer(
      { dataDir: await makeTempDir('fileforge-ui-expiry-') },
      { tokens: { secret: TOKEN_SECRET, ttlSeconds: 2 } },
    );
    const content = Buffer.from('downloaded after the token expired\n');
    const form = new FormData();
    form.append('file', new File([content], 'late.txt'));
    const created = await s.api('/api/v1/files', { method: 'POST', body: form });
    const { files } = (await created.json()) as { files: Array<{ id: string }> };

    ui = await openUiBrowser();
    const page = await ui.newPage();
    await signIn(page, `${s.url}/files/${files[0]!.id}`, ADMIN.email, ADMIN.password);
    const link = page.getByRole('link', { name: 'Download' });
    await link.waitFor();
    await new Promise((r) => setTimeout(r, 3_500)); // the 2 s access token is gone
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toBe('late.txt');
    expect((await readFile((await download.path())!)).equals(content)).toBe(true);
    expect(ui.pageErrors).toEqual([]);
  });
});

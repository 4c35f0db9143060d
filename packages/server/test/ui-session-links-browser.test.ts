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

  itInBrowser('two tabs opened at once after the access token expired both stay signed in', async () => {
    const s = await startTestServer(
      { dataDir: await makeTempDir('fileforge-ui-tabs-') },
      { tokens: { secret: TOKEN_SECRET, ttlSeconds: 2 } },
    );
    // A browser of its own: cookies do not tell servers on one host apart by port.
    const tabs = await openUiBrowser();
    const first = await tabs.newPage();
    await signIn(first, `${s.url}/`, ADMIN.email, ADMIN.password);
    const second = await tabs.newPage();
    await new Promise((r) => setTimeout(r, 3_000));
    // Both tabs find the session expired and refresh it at the same moment.
    await Promise.all([first.goto(`${s.url}/`), second.goto(`${s.url}/`)]);
    for (const page of [first, second])
      await page.getByText(`Signed in as ${ADMIN.email}`).waitFor({ timeout: 20_000 });
    // The login survived: once the new access token expires too, a page still signs in by itself.
    await new Promise((r) => setTimeout(r, 3_000));
    await first.goto(`${s.url}/`);
    await first.getByText(`Signed in as ${ADMIN.email}`).waitFor({ timeout: 20_000 });
    expect(tabs.pageErrors).toEqual([]);
    await tabs.close();
  });
});

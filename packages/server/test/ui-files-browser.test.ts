import { defaultProcessors } from '@fileforge/processors';
import { corruptBodyPng } from '@fileforge/test-fixtures/images';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { startAccessServer, stopAccessServers } from './support/access-server.js';
import { hasBinary } from './support/binaries.js';
import { makePdf, makePng, makeText } from './support/fixtures.js';
import { makeMixedFiles } from './support/mixed-files.js';
import { makeTempDir, stopTestServers } from './support/server.js';
import {
  auditScreen,
  browserInstalled,
  itInBrowser,
  openUiBrowser,
  signIn,
  type UiBrowser,
} from './support/ui-browser.js';

const ADMIN = { email: 'admin@example.test', password: 'correct horse battery staple' };
const VIEWER = { email: 'viewer@example.test', password: 'viewer password 123' };
/** A word that occurs only inside the PDF's text (not in any name). */
const PDF_WORD = 'zanzibarite';

let ui: UiBrowser;
let page: Page;
let url: string;
let server: Awaited<ReturnType<typeof startAccessServer>>;

beforeAll(async () => {
  if (!browserInstalled) return;
  server = await startAccessServer({ forge: { processors: defaultProcessors() } });
  url = server.url;
  ui = await openUiBrowser();
  page = await ui.newPage();
}, 120_000);

afterAll(async () => {
  await ui?.close();
  await stopAccessServers();
  await stopTestServers();
});

/** Drops files on the upload box the way a browser's drag and drop does. */
async function dropFiles(files: { name: string; type: string; bytes: Buffer }[]) {
  const list = files.map((f) => ({ name: f.name, type: f.type, b64: f.bytes.toString('base64') }));
  // Run in the page (a string: this package's TypeScript has no DOM types).
  await page.evaluate(`(() => {
    const dt = new DataTransfer();
    for (const f of ${JSON.stringify(list)}) {
      const bytes = Uint8Array.from(atob(f.b64), (ch) => ch.charCodeAt(0));
      dt.items.add(new File([bytes], f.name, { type: f.type }));
    }
    const zone = document.getElementById('drop-zone');
    for (const type of ['dragenter', 'dragover', 'drop']) {
      zone.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
    }
  })()`);
}

/** Uploads through the API with the page's session, answering the new file's id. */
async function uploadViaApi(file: { name: string; type: string; bytes: Buffer }): Promise<string> {
  const res = await page.request.post(`${url}/api/v1/files`, {
    multipart: { file: { name: file.name, mimeType: file.type, buffer: file.bytes } },
    headers: { Origin: url },
  });
  expect(res.status()).toBe(201);
  return (await res.json()).files[0].id;
}

async function waitProcessed(id: string) {
  await expect
    .poll(async () => (await (await page.request.get(`${url}/api/v1/files/${id}`)).json()).status, {
      timeout: 60_000,
      interval: 300,
    })
    .toMatch(/processed|failed|rejected/);
}

/** Presses Tab until `predicate` holds for the focused element (a keyboard user's way there). */
async function tabTo(predicate: string, max = 80) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (
      await page.evaluate(
        `(() => { const el = document.activeElement; return Boolean(el && (${predicate})); })()`,
      )
    )
      return;
  }
  throw new Error(`Tab never reached ${predicate}`);
}

describe('web UI: files', () => {
  itInBrowser(
    'sets up the first admin, then three dropped files reach processed without a reload',
    async () => {
      await page.goto(url);
      await page.getByRole('heading', { name: 'Welcome to FileForge' }).waitFor();
      expect(await auditScreen(page, 'setup')).toEqual([]);
      await page.getByLabel('Email').fill(ADMIN.email);
      await page.getByLabel(/^Password/).fill(ADMIN.password);
      await page.getByRole('button', { name: 'Create administrator' }).click();
      await page.getByText(`Signed in as ${ADMIN.email} (admin)`).waitFor({ timeout: 20_000 });

      await page.evaluate('window.notReloaded = true');
      const files = [
        { name: 'report.pdf', type: 'application/pdf', bytes: makePdf(`Quarterly ${PDF_WORD} figures`) },
        { name: 'pixel.png', type: 'image/png', bytes: makePng(40, 30) },
        { name: 'greeting.txt', type: 'text/plain', bytes: makeText() },
      ];
      // The reader is typing a search while the uploads run: focus must stay there.
      await page.locator('#search-q').focus();
      await dropFiles(files);
      for (const f of files) {
        await page
          .locator('#upload-queue li', { hasText: f.name })
          .locator('[data-status="processed"]')
          .waitFor({ timeout: 60_000 });
      }
      await expect(page.evaluate('document.activeElement.id')).resolves.toBe('search-q');
      await expect(page.evaluate('window.notReloaded')).resolves.toBe(true);
      await expect(
        page
          .locator('#upload-queue progress')
          .evaluateAll((bars) => bars.map((b) => (b as unknown as { value: number }).value)),
      ).resolves.toEqual([100, 100, 100]);
      // The live region is cleared, then filled 50 ms later (so a repeated message is read again).
      await expect
        .poll(() => page.locator('#ff-live').textContent(), { timeout: 5_000 })
        .toMatch(/processed/);
    },
  );

  itInBrowser('finds a PDF by a word that occurs only inside it, with the matching snippet', async () => {
    await page.goto(url);
    await page.locator('#search-q').fill(PDF_WORD);
    await page.locator('#search-q').press('Enter');
    await page.waitForURL(/q=zanzibarite/);
    const result = page.locator('#file-list [data-file-id]');
    await expect(result.count()).resolves.toBe(1);
    await expect(result.locator('.file-name').textContent()).resolves.toBe('report.pdf');
    await expect(result.locator('.snippet mark').first().textContent()).resolves.toMatch(/zanzibarite/i);
  });

  itInBrowser(
    'shows the Files screen in grid and list, at 360 and 1440 px, light and dark, without serious accessibility violations',
    async () => {
      await page.goto(url);
      await page.locator('#file-list .file-card').first().waitFor();
      expect(await auditScreen(page, 'files-grid')).toEqual([]);
      await page.goto(`${url}/?view=list`);
      await page.locator('#file-list tbody tr').first().waitFor();
      expect(await auditScreen(page, 'files-list')).toEqual([]);
      await page.goto(`${url}/folders`);
      expect(await auditScreen(page, 'folders')).toEqual([]);
    },
  );

  itInBrowser('browses the sorted tree folder by folder down to a filed file, and opens it', async () => {
    const login = await fetch(`${url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ADMIN),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const api = (path: string, init: RequestInit = {}) =>
      fetch(`${url}${path}`, {
        ...init,
        headers: { ...init.headers, Authorization: `Bearer ${accessToken}` },
      });
    const { items } = (await (await api('/api/v1/files?limit=1')).json()) as {
      items: { id: string; name: string }[];
    };
    const [file] = items;
    const moved = await api('/api/v1/files/bulk', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'move', ids: [file!.id], path: 'reports/2026' }),
    });
    expect(moved.status).toBe(200);

    await page.goto(`${url}/folders`);
    await page
      .getByRole('link', { name: /^reports/ })
      .first()
      .click();
    await page.getByRole('heading', { name: 'reports' }).waitFor();
    await page.getByRole('link', { name: /^2026/ }).first().click();
    await page.getByRole('heading', { name: '2026' }).waitFor();
    await page.getByRole('link', { name: file!.name }).first().click();
    await page.locator('.file-page').waitFor();
    expect(page.url()).toContain(file!.id);
  });

  itInBrowser('opens each kind of file and sees its preview; problems are explained in words', async () => {
    if (!hasBinary('ffmpeg')) return;
    const mixed = await makeMixedFiles(await makeTempDir(), 10);
    const pick = (prefix: string) => mixed.find((f) => f.name.startsWith(prefix))!;
    const kinds = {
      image: pick('photo-'),
      pdf: pick('invoice-'),
      audio: pick('tone-'),
      video: pick('clip-'),
      zip: pick('bundle-'),
      text: pick('notes-'),
      csv: { name: 'table.csv', type: 'text/csv', bytes: Buffer.from('name,amount\nalpha,1\nbeta,2\n') },
      json: { name: 'data.json', type: 'application/json', bytes: Buffer.from('{"answer":42,"list":[1,2]}') },
      rejected: { name: 'broken.png', type: 'image/png', bytes: await corruptBodyPng() },
      mismatch: {
        name: 'letter.pdf',
        type: 'application/pdf',
        bytes: Buffer.from('plain words posing as a PDF'),
      },
    };
    const ids: Record<string, string> = {};
    for (const [kind, file] of Object.entries(kinds)) ids[kind] = await uploadViaApi(file);
    for (const id of Object.values(ids)) await waitProcessed(id);

    const open = async (kind: string) => {
      await page.goto(`${url}/files/${ids[kind]}`);
      await page.locator('.file-page').waitFor();
    };
    const loaded = (selector: string) =>
      page.locator(selector).evaluate(async (el) => {
        const img = el as unknown as { complete: boolean; naturalWidth: number; decode(): Promise<void> };
        if (!img.complete) await img.decode().catch(() => undefined);
        return img.naturalWidth;
      });

    await open('image');
    expect(await loaded('#preview img')).toBe(200);
    await expect(page.locator('#history').textContent()).resolves.toMatch(
      /Uploaded[\s\S]*Processed|Processed[\s\S]*Uploaded/,
    );
    await page.getByRole('button', { name: '200 %' }).click();
    await expect(page.locator('#preview').getAttribute('class')).resolves.toContain('zoom-200');
    expect(await auditScreen(page, 'file-image')).toEqual([]);

    await open('pdf');
    expect(await loaded('.pdf-pages img')).toBeGreaterThan(100);
    await expect(page.locator('.pdf-pages figcaption').textContent()).resolves.toBe('Page 1 of 1');
    expect(await auditScreen(page, 'file-pdf')).toEqual([]);

    await open('audio');
    await expect(page.locator('audio[controls]').count()).resolves.toBe(1);
    expect(await loaded('img.waveform')).toBeGreaterThan(100);
    await expect(page.locator('#metadata').textContent()).resolves.toMatch(/Duration\s*0:01|Duration\s*0:00/);

    await open('video');
    const poster = await page.locator('video[controls]').getAttribute('poster');
    expect(poster).toMatch(/derivatives\/poster\.jpg$/);
    const posterRes = await page.request.get(`${url}${poster}`);
    expect(posterRes.headers()['content-type']).toBe('image/jpeg');

    await open('zip');
    await expect(page.locator('#preview-card table').textContent()).resolves.toContain('data/values.csv');
    expect(await auditScreen(page, 'file-archive')).toEqual([]);

    await open('text');
    await expect(page.locator('#preview-card pre').textContent()).resolves.toContain('the quick brown fox');

    await open('csv');
    await expect(page.locator('#preview-card thead').textContent()).resolves.toContain('amount');
    await expect(page.locator('#preview-card tbody tr').count()).resolves.toBe(2);

    await open('json');
    await expect(page.locator('#preview-card pre').textContent()).resolves.toContain('"answer": 42');

    await open('rejected');
    await expect(page.locator('.file-header [data-status]').textContent()).resolves.toBe('rejected');
    await expect(page.locator('.notice-bad').textContent()).resolves.toMatch(
      /Rejected: The image is damaged and cannot be decoded/,
    );
    await expect(page.getByRole('link', { name: 'Download' }).count()).resolves.toBe(0);
    expect(await auditScreen(page, 'file-rejected')).toEqual([]);

    await open('mismatch');
    await expect(page.locator('.notice-warn').textContent()).resolves.toMatch(
      /The name ends in \.pdf but the content is text\/plain/,
    );
  });

  itInBrowser('keyboard only: uploads a file, opens it and deletes it', async () => {
    await page.goto(url);
    // Listen before tabbing: Playwright turns on Chromium's file-chooser interception when the
    // first listener is added, and that must be in place before the key press reaches the page.
    const chosen = page.waitForEvent('filechooser', { timeout: 60_000 });
    chosen.catch(() => {}); // awaited below; a rejection before then is not unhandled
    await tabTo("el.id === 'upload-files'");
    await page.keyboard.press('Space');
    const chooser = await chosen;
    await chooser.setFiles({
      name: 'keyboard.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('typed, not clicked\n'),
    });
    const item = page.locator('#upload-queue li', { hasText: 'keyboard.txt' });
    await item.locator('[data-status="processed"]').waitFor({ timeout: 60_000 });
    const id = await item.getAttribute('data-file-id');

    await tabTo("el.tagName === 'A' && el.textContent === 'keyboard.txt'");
    await page.keyboard.press('Enter');
    await page.waitForURL(`${url}/files/${id}`);
    await tabTo("el.getAttribute('data-file-action') === 'delete'");
    await page.keyboard.press('Enter');
    await page.locator('#ff-confirm[open]').waitFor();
    await tabTo("el.hasAttribute('data-ff-confirm-ok')", 5);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/\?deleted=keyboard\.txt$/);
    await expect(page.getByText('Deleted “keyboard.txt”.').count()).resolves.toBe(1);
    expect((await page.request.get(`${url}/api/v1/files/${id}`)).status()).toBe(404);
  });

  itInBrowser('a viewer sees no upload, delete, reprocess or bulk control', async () => {
    await server.server.auth.createUser({ ...VIEWER, role: 'viewer', tenant: 'default' });
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await auditScreen(page, 'sign-in')).toEqual([]);
    await signIn(page, url, VIEWER.email, VIEWER.password);
    await expect(page.locator('#upload, input[type=file], #bulk, .select-file').count()).resolves.toBe(0);
    await expect(page.getByRole('link', { name: 'Admin' }).count()).resolves.toBe(0);
    await page.locator('#file-list .file-name').first().click();
    await page.locator('.file-page').waitFor();
    await expect(page.locator('[data-file-action]').count()).resolves.toBe(0);
    await expect(page.getByLabel('Correct the category').count()).resolves.toBe(0);
    await expect(page.getByRole('link', { name: 'Download' }).count()).resolves.toBe(1);
    await page.getByRole('link', { name: 'Change password' }).click();
    // A viewer changes their own password by giving the current one, and stays signed in.
    await page.getByLabel('Current password').fill(VIEWER.password);
    await page.getByLabel('New password').fill('a viewer’s new passphrase');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.waitForURL(`${url}/`);
    await page.getByText(`Signed in as ${VIEWER.email}`).waitFor();
    const login = (password: string) =>
      fetch(`${url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: VIEWER.email, password }),
      });
    expect((await login('a viewer’s new passphrase')).status).toBe(200);
    expect((await login(VIEWER.password)).status).toBe(401);
  });

  itInBrowser('never asked for anything off the machine, and no script failed', async () => {
    expect(ui.offMachine).toEqual([]);
    expect(ui.pageErrors).toEqual([]);
  });
});

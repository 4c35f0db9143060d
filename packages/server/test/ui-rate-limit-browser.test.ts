/**
 * The web UI under the rate limit: a folder's worth of files dropped at once meets 429s, which
 * the page waits out (Retry-After) instead of marking files refused or leaving them pending.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { startAccessServer, stopAccessServers } from './support/access-server.js';
import { makeText } from './support/fixtures.js';
import { stopTestServers } from './support/server.js';
import { browserInstalled, itInBrowser, openUiBrowser, type UiBrowser } from './support/ui-browser.js';

const ADMIN = { email: 'admin@example.test', password: 'correct horse battery staple' };

let ui: UiBrowser;
let page: Page;
let url: string;

beforeAll(async () => {
  if (!browserInstalled) return;
  // Far below what a dozen uploads and their status reads need in one second.
  ({ url } = await startAccessServer({ server: { rateLimit: '4 per second' } }));
  ui = await openUiBrowser();
  page = await ui.newPage();
}, 120_000);

afterAll(async () => {
  await ui?.close();
  await stopAccessServers();
  await stopTestServers();
});

describe('web UI: the rate limit', () => {
  itInBrowser(
    'twelve dropped files all reach processed, the 429s waited out',
    async () => {
      await page.goto(url);
      await page.getByLabel('Email').fill(ADMIN.email);
      await page.getByLabel(/^Password/).fill(ADMIN.password);
      await page.getByRole('button', { name: 'Create administrator' }).click();
      await page.getByText(`Signed in as ${ADMIN.email} (admin)`).waitFor({ timeout: 20_000 });

      const files = Array.from({ length: 12 }, (_, i) => ({
        name: `note-${i}.txt`,
        b64: Buffer.concat([makeText(), Buffer.from(` ${i}\n`)]).toString('base64'),
      }));
      await page.evaluate(`(() => {
      const dt = new DataTransfer();
      for (const f of ${JSON.stringify(files)}) {
        const bytes = Uint8Array.from(atob(f.b64), (ch) => ch.charCodeAt(0));
        dt.items.add(new File([bytes], f.name, { type: 'text/plain' }));
      }
      const zone = document.getElementById('drop-zone');
      for (const type of ['dragenter', 'dragover', 'drop']) {
        zone.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
      }
    })()`);
      for (const f of files) {
        await page
          .locator('#upload-queue li', { hasText: f.name })
          .locator('[data-status="processed"]')
          .waitFor({ timeout: 90_000 });
      }
      expect(await page.locator('#upload-queue [data-status="refused"]').count()).toBe(0);
    },
    180_000,
  );
});

/**
 * The admin's backups page in headless Chromium against a server with backups configured as
 * `fileforge serve` sets them up: back up now, see the archive listed with its restore
 * command, download the very archive the API serves. Nothing leaves 127.0.0.1.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect } from 'vitest';
import { manifestKeys, signingKeyOf } from '../src/backup/manifest-signature.js';
import { ADMIN, makeTempDir, startTestServer, stopTestServers } from './support/server.js';
import { itInBrowser, openUiBrowser, signIn, type UiBrowser } from './support/ui-browser.js';

let ui: UiBrowser | undefined;
afterAll(async () => {
  await ui?.close();
  await stopTestServers();
});

describe('web UI: Admin → Backups', () => {
  itInBrowser(
    'backs up on a click, lists the archive with its restore command, and downloads it',
    async () => {
      const dataDir = await makeTempDir('fileforge-ui-backups-');
      const outputDir = join(dataDir, 'archives');
      const s = await startTestServer(
        { dataDir },
        {
          backups: {
            databaseUrl: `sqlite:${join(dataDir, 'fileforge.db')}`,
            outputDir,
            signingKey: signingKeyOf(manifestKeys({ secretKey: 'ui-backup-secret'.padEnd(32, 'x') })),
          },
        },
      );
      const form = new FormData();
      form.append('file', new File([Buffer.from('kept in the backup\n')], 'kept.txt'));
      expect((await s.api('/api/v1/files', { method: 'POST', body: form })).status).toBe(201);

      ui = await openUiBrowser();
      const page = await ui.newPage();
      await signIn(page, `${s.url}/admin/backups`, ADMIN.email, ADMIN.password);
      await page.getByText('No backups yet.').waitFor();

      await page.getByRole('button', { name: 'Back up now' }).click();
      const table = page.getByRole('table', { name: /Backups/ });
      await table.waitFor({ timeout: 60_000 });

      const { items } = (await (await s.api('/api/v1/backups')).json()) as {
        items: { name: string; restoreCommand: string }[];
      };
      expect(items).toHaveLength(1);
      const [backup] = items;
      expect(await table.textContent()).toContain(backup!.restoreCommand);
      expect(backup!.restoreCommand).toContain(join(outputDir, backup!.name));

      const [download] = await Promise.all([
        page.waitForEvent('download'),
        table.getByRole('link', { name: backup!.name }).click(),
      ]);
      const saved = await download.path();
      const served = Buffer.from(await (await s.api(`/api/v1/backups/${backup!.name}`)).arrayBuffer());
      expect((await readFile(saved)).equals(served)).toBe(true);
      expect(served.length).toBeGreaterThan(0);

      expect(ui.offMachine).toEqual([]);
      expect(ui.pageErrors).toEqual([]);
    },
  );
});

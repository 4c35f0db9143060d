/**
 * Catalogue rows for section H: file names, paths and sorting-rule templates. A name is
 * metadata only (blobs live under generated ids), so most hostile names are accepted with
 * a cleaned display name; the rows assert the name that was kept.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { expect } from 'vitest';
import { sha256 } from './fixtures.js';
import type { HostileCase } from './hostile-case.js';
import { uploadOne } from './hostile-checks.js';
import { type CaseOutcome, codeOf, filePart, sameOutcome, sendRaw, uploadRaw } from './hostile-requests.js';
import { openConnection, requestHead } from './raw-http.js';
import { within } from './raw-upload.js';
import { type FileResource, listFiles, type TestServer } from './server.js';

/** Uploads one file per raw `Content-Disposition` tail and asserts the display name each one kept. */
async function namesKept(server: TestServer, cases: Array<[string, string]>): Promise<CaseOutcome> {
  const outcomes: Array<[string, CaseOutcome]> = [];
  for (const [disposition, kept] of cases) {
    const outcome = await uploadRaw(server, [filePart(disposition, `${disposition}\n`)]);
    if (outcome.status === 201) {
      const name = outcome.files[0]!.name;
      expect(name, disposition).toBe(kept);
      expect(name, disposition).toBe(name.normalize('NFC'));
      expect(name, disposition).not.toMatch(/[\p{Cc}\p{Cf}]|^[-.]|[. ]$/u);
    }
    outcomes.push([disposition, outcome]);
  }
  return sameOutcome(outcomes);
}

/** `filename*=UTF-8''…` (RFC 5987), so the name reaches the server exactly, whatever bytes it holds. */
const star = (name: string) => `filename*=UTF-8''${encodeURIComponent(name)}`;

type Plan = { items: Array<{ fileId: string; to: string | null }> };

export const NAME_CASES: HostileCase[] = [
  {
    id: 'H1',
    attack: 'traversal, absolute and 4,097-character paths as file names: the last segment is the name',
    expected: { status: 201, code: null },
    run: (server) =>
      namesKept(server, [
        ['filename="../../etc/passwd"', 'passwd'],
        [star('..\\..\\windows\\win.ini'), 'win.ini'],
        ['filename="%2e%2e%2fsecret.txt"', '%2e%2e%2fsecret.txt'],
        ['filename="/abs/path.txt"', 'path.txt'],
        [star(`${'d/'.repeat(2000)}${'y'.repeat(93)}.png`), `${'y'.repeat(93)}.png`],
      ]),
  },
  {
    id: 'H1',
    attack: 'a name that is only a traversal (`..`, `../`) or empty',
    expected: { status: 400, code: 'INVALID_FILENAME' },
    run: (server) =>
      namesKept(server, [
        ['filename=".."', ''],
        ['filename="../"', ''],
        [star('\u200B\u202E'), ''],
      ]),
  },
  {
    id: 'H1',
    attack: 'sorting-rule templates that climb out of the tree (`..`, absolute, via metadata)',
    expected: { status: 200, code: null },
    seeAlso: 'core sorter/template.test.ts (property: never escapes the root)',
    async run(server) {
      const { file } = await uploadOne(
        server.api,
        '...txt',
        Buffer.from(`template ${randomBytes(4).toString('hex')}`),
      );
      const rules = [
        '../../escape/{name}{ext}',
        '/etc/{name}{ext}',
        '{name}/../../../x',
        'a/{sha256}/../../..',
      ].map((destination, i) => ({ id: `r${i}`, conditions: [], destination }));
      const outcomes: Array<[string, CaseOutcome]> = [];
      for (const rule of rules) {
        const res = await server.api('/api/v1/sorter/simulate', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ fileIds: [file!.id], rules: [rule] }),
        });
        const body = (await res.json()) as Plan;
        if (res.status === 200) {
          for (const { to } of body.items) {
            expect(to, rule.destination).not.toMatch(/^\/|(^|\/)\.\.?(\/|$)/);
          }
        }
        outcomes.push([rule.destination, { status: res.status, code: null }]);
      }
      const outcome = sameOutcome(outcomes);
      return { ...outcome, storedIds: [file!.id] };
    },
  },
  {
    id: 'H2',
    attack: 'NUL and other C0 controls in the name (`a.php\\0.jpg`)',
    expected: { status: 201, code: null },
    run: (server) =>
      namesKept(server, [
        ['filename="a.php\u0000.jpg"', 'a.php.jpg'],
        [star('a.php\u0000.jpg'), 'a.php.jpg'],
        [star('tab\u0009bell\u0007del\u007f.txt'), 'tabbelldel.txt'],
      ]),
  },
  {
    id: 'H3',
    attack: 'bidi override, zero-width characters and NFD in the name',
    expected: { status: 201, code: null },
    seeAlso: 'round-trip.test.ts (misleading-name flag)',
    run: (server) =>
      namesKept(server, [
        [star('invoice\u202Efdp.exe'), 'invoicefdp.exe'],
        [star('pay\u200Bpal\u2060.pdf\u200B.exe'), 'paypal.pdf.exe'],
        [star('\u2066isolate\u2069\uFEFF.txt'), 'isolate.txt'],
        [star('cafe\u0301.txt'), 'caf\u00e9.txt'],
      ]),
  },
  {
    id: 'H4',
    attack: 'reserved device names, leading `-`/`.`, trailing dot or space',
    expected: { status: 201, code: null },
    run: (server) =>
      namesKept(server, [
        ['filename="CON"', 'CON'],
        ['filename="con.txt"', 'con.txt'],
        ['filename="LPT1.log"', 'LPT1.log'],
        ['filename="-rf"', 'rf'],
        ['filename=".htaccess"', 'htaccess'],
        ['filename="report.pdf. . "', 'report.pdf'],
        ['filename="--.--help"', 'help'],
      ]),
  },
  {
    id: 'H5',
    attack: 'names over 255 UTF-8 bytes, multibyte and ASCII',
    expected: { status: 400, code: 'INVALID_FILENAME' },
    run: (server) =>
      namesKept(server, [
        [star(`${'é'.repeat(200)}.png`), ''],
        [star(`${'x'.repeat(300)}.png`), ''],
      ]),
  },
  {
    id: 'H6',
    attack: 'CR/LF and quotes in a name: no header injection on download',
    expected: { status: 200, code: null },
    async run(server) {
      // Over HTTP a name cannot carry a raw CR/LF; RFC 5987 can encode one, and such a part is refused.
      const encoded = await uploadRaw(server, [filePart(star('a"\r\nX-Evil: 1.txt'), 'evil\n')]);
      expect(encoded.status, 'filename* with CR/LF').toBe(400);
      // A watched folder or the SDK can hand one in: the name keeps the quote and loses the CR/LF.
      const file = await server.forge.ingest(Readable.from([Buffer.from('evil\n')]), {
        name: 'a"\r\nX-Evil: 1.txt',
      });
      expect(file.name).toBe('a"X-Evil: 1.txt');
      const res = await sendRaw(server, { path: `/api/v1/files/${file.id}/download` });
      expect(res.headers['x-evil']).toBeUndefined();
      expect(res.headers['content-disposition']).toBe('attachment; filename="a\\"X-Evil: 1.txt"');
      expect(res.body).toBe('evil\n');
      return { status: res.status, code: null, storedIds: [file.id] };
    },
  },
  {
    id: 'H7',
    attack: 'same name, different bytes, at once; then both sorted to one target name',
    expected: { status: 201, code: null },
    async run(server) {
      const bodies = [randomBytes(64 * 1024), randomBytes(64 * 1024)];
      const uploads = await Promise.all(bodies.map((b) => uploadOne(server.api, 'same.bin', b)));
      const files = uploads.map((u) => u.file as FileResource);
      expect(files.map((f) => f.sha256)).toEqual(bodies.map(sha256));
      const run = await server.api('/api/v1/sorter/runs', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          fileIds: files.map((f) => f.id),
          rules: [{ id: 'collide', conditions: [], destination: 'collide/same.bin' }],
        }),
      });
      expect(run.status, await run.clone().text()).toBe(201);
      const paths = new Set<string>();
      for (const [i, f] of files.entries()) {
        const record = (await (await server.api(`/api/v1/files/${f.id}`)).json()) as { path: string };
        paths.add(record.path);
        const bytes = new Uint8Array(
          await (await server.api(`/api/v1/files/${f.id}/download`)).arrayBuffer(),
        );
        expect(sha256(bytes), `file ${i} intact`).toBe(sha256(bodies[i]!));
      }
      expect(paths.size, 'two distinct paths').toBe(2);
      return sameOutcome(
        uploads.map((u, i) => [
          `upload ${i}`,
          { status: u.status, code: u.code ?? null, storedIds: [files[i]!.id] },
        ]),
      );
    },
  },
  {
    id: 'H8',
    attack: 'a symlink planted in the storage tree in place of a blob',
    expected: { status: 404, code: 'NOT_FOUND' },
    async run(server) {
      const secret = join(server.dataDir, 'planted-secret');
      await writeFile(secret, 'planted secret');
      const before = new Set(await listFiles(server.uploadFolder));
      const { file } = await uploadOne(server.api, 'target.bin', randomBytes(2048));
      const blob = (await listFiles(server.uploadFolder)).find(
        (f) => !before.has(f) && !f.startsWith('.tmp/'),
      );
      expect(blob, 'the new blob').toBeDefined();
      await rm(join(server.uploadFolder, blob!));
      await symlink(secret, join(server.uploadFolder, blob!));
      // Read everything the server sends, even a response cut short after its headers.
      const connection = await openConnection(server.url);
      connection.send(
        requestHead('GET', `/api/v1/files/${file!.id}/download`, {
          ...server.authHeaders,
          Connection: 'close',
        }),
      );
      await within(connection.closed, 10_000, 'the download neither finished nor closed').catch(() => {});
      connection.socket.destroy();
      const raw = connection.pending().toString('latin1');
      expect(raw, 'bytes from outside the store').not.toContain('planted secret');
      expect(await readFile(secret, 'utf8')).toBe('planted secret');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(raw)?.[1] ?? 0);
      const body = raw.slice(raw.indexOf('\r\n\r\n') + 4);
      return { status, code: codeOf(body), storedIds: [file!.id] };
    },
  },
];

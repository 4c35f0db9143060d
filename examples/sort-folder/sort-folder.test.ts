import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runExample, stopExamples } from '../test-support/run-example.js';

let root: string;
let folder: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'fileforge-sort-example-'));
  folder = join(root, 'inbox');
});

afterEach(async () => {
  await stopExamples();
  await rm(root, { recursive: true, force: true });
});

/** path → sha256 and mtime of every file under `dir`, outside FileForge's `.fileforge` area. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const result: Record<string, string> = {};
  for (const entry of entries) {
    const path = join(entry.parentPath, entry.name);
    const rel = relative(dir, path);
    if (!entry.isFile() || rel.startsWith('.fileforge')) continue;
    const hash = createHash('sha256')
      .update(await readFile(path))
      .digest('hex');
    result[rel] = `${hash} ${Math.trunc((await stat(path)).mtimeMs)}`;
  }
  return result;
}

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
  'base64',
);

async function makeFolder(): Promise<void> {
  await mkdir(folder);
  for (let i = 1; i <= 5; i += 1) {
    await writeFile(join(folder, `bill-${i}.txt`), `Invoice ${i}\nAmount due: ${i * 10}.00 EUR\n`);
    await writeFile(join(folder, `photo-${i}.dat`), PNG); // an image by its bytes, whatever its name
    await writeFile(join(folder, `todo-${i}.md`), `# To do ${i}\n`);
  }
  // No rule matches: stays (fixed bytes: 64 random ones read as text about 1 time in 1,000).
  await writeFile(join(folder, 'random.bin'), Buffer.from([0, 1, 2, 3, 255]));
}

describe('examples/sort-folder', () => {
  it('prints the plan without moving anything, applies it, and undo puts every file back', async () => {
    await makeFolder();
    const before = await snapshot(folder);
    const env = { SORT_DIR: folder, XDG_STATE_HOME: join(root, 'state') };

    const dryRun = await runExample('sort-folder', { ...env, STEPS: 'dry-run' });
    expect(dryRun.code, dryRun.stderr).toBe(0);
    expect(dryRun.stdout).toContain('16 file(s), 15 to move (dry run, nothing changed)');
    expect(dryRun.stdout).toMatch(/bill-1\.txt → invoices\/\d{4}\/bill-1\.txt {2}\[invoices\]/);
    expect(dryRun.stdout).toMatch(/photo-1\.dat → images\/photo-1\.png {2}\[images\]/);
    expect(dryRun.stdout).toMatch(/random\.bin \(stays\) {2}no rule matched/);
    expect(await snapshot(folder)).toEqual(before);

    const applied = await runExample('sort-folder', { ...env, STEPS: 'apply' });
    expect(applied.code, applied.stderr).toBe(0);
    const [, runId] = applied.stdout.match(/run (\w+): 15 moved, 1 left in place, 0 failed/) ?? [];
    expect(runId).toBeDefined();
    const year = new Date().getFullYear();
    const sorted = Object.keys(await snapshot(folder)).sort();
    expect(sorted).toEqual(
      [
        'random.bin',
        ...[1, 2, 3, 4, 5].flatMap((i) => [
          `invoices/${year}/bill-${i}.txt`,
          `images/photo-${i}.png`,
          `notes/todo-${i}.md`,
        ]),
      ].sort(),
    );

    const undone = await runExample('sort-folder', { ...env, STEPS: 'undo', RUN: runId! });
    expect(undone.code, undone.stderr).toBe(0);
    expect(undone.stdout).toContain(`undo ${runId}: 15 file(s) put back, 0 already back`);
    expect(await snapshot(folder)).toEqual(before);
  }, 180_000);
});

import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  claimArea,
  claimFile,
  claimFileName,
  listClaims,
  parseClaimFileName,
  releaseClaim,
  unclaim,
} from './claim.js';

const ID = '01hzzzzzzzzzzzzzzzzzzzzzzz';
const ID2 = '01j00000000000000000000000';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});
async function folder() {
  const dir = await mkdtemp(join(tmpdir(), 'fileforge-claim-'));
  dirs.push(dir);
  await mkdir(claimArea(dir));
  return dir;
}

describe('claim file names', () => {
  it('round-trip the relative path, slashes and percent signs included', () => {
    for (const path of ['a.txt', 'sub/dir/r%2F port.pdf', '100% done/ü.txt']) {
      const name = claimFileName(ID, path);
      expect(name).not.toContain('/');
      expect(parseClaimFileName(name)).toEqual({ claimId: ID, relativePath: path });
    }
  });

  it('fit in one file name, keeping the end of the last segment', () => {
    const name = claimFileName(ID, `${'d/'.repeat(100)}${'é'.repeat(200)}.pdf`);
    expect(Buffer.byteLength(name)).toBeLessThanOrEqual(255);
    expect(parseClaimFileName(name)?.relativePath.endsWith('éé.pdf')).toBe(true);
  });

  it('ignore what is not a claim', () => {
    expect(parseClaimFileName('rejected')).toBeNull();
    expect(parseClaimFileName(`${ID}.error.json`)).toBeNull();
  });
});

describe('claimFile', () => {
  it('moves the file into the claim area; a second claim of the same file gets nothing', async () => {
    const dir = await folder();
    await writeFile(join(dir, 'a.txt'), 'hello');
    const first = await claimFile(dir, 'a.txt', ID);
    const second = await claimFile(dir, 'a.txt', ID2);
    expect(second).toBeNull();
    expect(first?.relativePath).toBe('a.txt');
    expect(await readFile(first!.path, 'utf8')).toBe('hello');
    expect(await readdir(dir)).toEqual(['.fileforge-claims']);
    expect((await listClaims(dir)).map((c) => c.claimId)).toEqual([ID]);
  });

  it('releases to a processed folder without overwriting a file already there', async () => {
    const dir = await folder();
    const done = join(dir, '..', `${ID}-processed`);
    dirs.push(done);
    await mkdir(join(done, 'sub'), { recursive: true });
    await writeFile(join(done, 'sub', 'a.txt'), 'older');
    await mkdir(join(dir, 'sub'));
    await writeFile(join(dir, 'sub', 'a.txt'), 'newer');
    const claim = await claimFile(dir, 'sub/a.txt', ID);
    await releaseClaim(claim!, done);
    expect(await readFile(join(done, 'sub', 'a.txt'), 'utf8')).toBe('older');
    expect(await readFile(join(done, 'sub', `a.${ID}.txt`), 'utf8')).toBe('newer');
    expect(await listClaims(dir)).toEqual([]);
  });

  it('releases across filesystems whole, under its final name only, and again after a cut-short release', async () => {
    const dir = await folder();
    // /dev/shm is tmpfs: another filesystem than the temp folder's, so the release copies.
    const done = await mkdtemp(join('/dev/shm', 'fileforge-processed-'));
    dirs.push(done);
    await writeFile(join(dir, 'a.txt'), 'content');
    const claim = await claimFile(dir, 'a.txt', ID);
    await releaseClaim(claim!, done);
    expect(await readdir(done)).toEqual(['a.txt']); // no temp copy left beside it
    expect(await readFile(join(done, 'a.txt'), 'utf8')).toBe('content');
    expect(await listClaims(dir)).toEqual([]);

    // A release a kill cut short after its copy reached the beside name: the retry only
    // removes the claim, and never writes over either file.
    await writeFile(join(dir, 'a.txt'), 'second');
    const again = await claimFile(dir, 'a.txt', ID2);
    await writeFile(join(done, `a.${ID2}.txt`), 'second, copied before the kill');
    await releaseClaim(again!, done);
    expect((await readdir(done)).sort()).toEqual([`a.${ID2}.txt`, 'a.txt']);
    expect(await readFile(join(done, `a.${ID2}.txt`), 'utf8')).toBe('second, copied before the kill');
    expect(await readFile(join(done, 'a.txt'), 'utf8')).toBe('content');
    expect(await listClaims(dir)).toEqual([]);
  });

  it('gives a claim back only where nothing took its place meanwhile', async () => {
    const dir = await folder();
    await writeFile(join(dir, 'a.txt'), 'claimed');
    const claim = await claimFile(dir, 'a.txt', ID);
    await writeFile(join(dir, 'a.txt'), 'newer, dropped meanwhile');
    expect(await unclaim(dir, claim!)).toBe(false);
    expect(await readFile(join(dir, 'a.txt'), 'utf8')).toBe('newer, dropped meanwhile');
    expect(await listClaims(dir)).toHaveLength(1);
    await rm(join(dir, 'a.txt'));
    expect(await unclaim(dir, claim!)).toBe(true);
    expect(await readFile(join(dir, 'a.txt'), 'utf8')).toBe('claimed');
    expect(await listClaims(dir)).toEqual([]);
  });
});

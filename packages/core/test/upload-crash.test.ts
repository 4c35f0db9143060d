import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createForge } from '@fileforge/core';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bundleChild, runBundledChild } from './support/bundled-child.js';
import { bytesOf } from './support/seeded-bytes.js';

const CHILD = fileURLToPath(new URL('./support/upload-crash-child.ts', import.meta.url));
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

interface Ack {
  name: string;
  id: string;
  sha256: string;
}
const acksOf = (path: string): Ack[] =>
  existsSync(path)
    ? readFileSync(path, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Ack)
    : [];

/** Seeded PRNG (mulberry32): the same offsets on every run, so a failure reproduces. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let bundle: string;
beforeAll(async () => {
  bundle = await bundleChild(CHILD, 'upload-crash-child');
});
afterAll(async () => {
  await rm(bundle, { force: true });
});
const runChild = (args: string[], crashAt: string) => runBundledChild(bundle, args, crashAt);

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** One crash: a file that is acknowledged first, then one the process dies inside. */
interface Crash {
  crashAt: string;
  specs: string[];
  /** Sizes by name, to rebuild the content of a committed-but-unacknowledged file. */
  sizes: Map<string, [number, number]>;
}

/**
 * After start-up recovery: every acknowledged ingest is there with its SHA-256 and its bytes,
 * nothing else is (except a file whose commit the crash followed, which must be whole), the
 * temp area is empty, no blob lies on disk without its record, and SQLite's integrity check passes.
 */
async function checkInvariants(dataDir: string, acks: Ack[], committedUnacked: Map<string, Buffer>) {
  const forge = await createForge({ dataDir });
  try {
    const { items } = await forge.files.list({ limit: 1000 });
    const acked = new Map(acks.map((a) => [a.id, a]));
    for (const ack of acks) {
      const record = items.find((r) => r.id === ack.id);
      expect(record, `acknowledged ${ack.name} is missing`).toBeDefined();
      expect(record!.sha256).toBe(ack.sha256);
    }
    for (const record of items) {
      const { stream } = await forge.files.open(record.id);
      const chunks: Buffer[] = [];
      for await (const c of stream) chunks.push(c as Buffer);
      expect(sha256(Buffer.concat(chunks)), `content of ${record.name}`).toBe(record.sha256);
      if (!acked.has(record.id)) {
        const expected = committedUnacked.get(record.name);
        expect(expected, `unacknowledged ${record.name} is visible`).toBeDefined();
        expect(record.sha256).toBe(sha256(expected!));
      }
    }
    const uploads = forge.options.uploadFolder;
    expect(await readdir(join(uploads, '.tmp')), 'temp area after recovery').toEqual([]);
    const onDisk = (await readdir(uploads, { recursive: true, withFileTypes: true }))
      .filter((e) => e.isFile())
      .map((e) => relative(uploads, join(e.parentPath, e.name)));
    expect(onDisk.sort(), 'blobs on disk are exactly those records point at').toEqual(
      [...new Set(items.map((r) => r.blobKey))].sort(),
    );
  } finally {
    await forge.close();
  }
  const db = new Database(join(dataDir, 'fileforge.db'), { readonly: true });
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  } finally {
    db.close();
  }
}

/** Runs crashes one after another on one data directory (each start recovers the last). */
async function runLane(dataDir: string, crashes: Crash[]) {
  const acks = join(dataDir, 'acks.jsonl');
  const committedUnacked = new Map<string, Buffer>();
  for (const crash of crashes) {
    const end = await runChild([dataDir, acks, ...crash.specs], crash.crashAt);
    expect(end.ended, `${crash.crashAt}: ${end.stderr}`).toBe('SIGKILL');
    if (crash.crashAt === 'upload:after-commit') {
      const last = crash.specs.at(-1)!.split(':')[0]!;
      const [size, seed] = crash.sizes.get(last)!;
      committedUnacked.set(last, bytesOf(size, seed));
    }
  }
  await checkInvariants(dataDir, acksOf(acks), committedUnacked);
  return acksOf(acks).length;
}

function crashWith(crashAt: string, name: string, ackedSize: number, crashSize: number, seed: number): Crash {
  return {
    crashAt,
    specs: [`${name}-ok:${ackedSize}:${seed}`, `${name}-crash:${crashSize}:${seed + 1}`],
    sizes: new Map([
      [`${name}-ok`, [ackedSize, seed]],
      [`${name}-crash`, [crashSize, seed + 1]],
    ]),
  };
}

describe('upload crash consistency (issue 12)', () => {
  it('SIGKILL at each named point of an ingest loses no acknowledged file and leaves nothing half-made', {
    timeout: 90_000,
  }, async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'fileforge-upload-crash-'));
    dirs.push(dataDir);
    // Points in the blob store fire in every put, so the acknowledged file goes first in a run
    // of its own; the crash then hits the next ingest.
    const points = ['upload:after-fsync', 'upload:after-link', 'upload:after-commit'];
    const crashes: Crash[] = points.map((point, i) => ({
      ...crashWith(point, `p${i}`, 0, 40_000 + i, 100 + i),
      specs: [`p${i}-crash:${40_000 + i}:${101 + i}`],
    }));
    const acks = join(dataDir, 'acks.jsonl');
    // One acknowledged file before the crashes, in a clean run.
    const clean = await runChild([dataDir, acks, 'first:70000:7'], '');
    expect(clean.ended, clean.stderr).toBe(0);
    expect(await runLane(dataDir, crashes)).toBe(1);
  });

  it('SIGKILL at 50 seeded random byte offsets of an upload body: acknowledged files intact, nothing partial', {
    timeout: 120_000,
  }, async () => {
    const random = seeded(12);
    const crashes: Crash[] = [];
    for (let i = 0; i < 50; i++) {
      const crashSize = 1 + Math.floor(random() * 96 * 1024);
      const offset = Math.floor(random() * crashSize);
      // The acknowledged file is no longer than the offset, so the tap lets it through whole.
      const ackedSize = Math.floor(random() * (Math.min(offset, 48 * 1024) + 1));
      crashes.push(crashWith(`upload:body:${offset}`, `r${i}`, ackedSize, crashSize, 1000 + 2 * i));
    }
    // Lanes run side by side (a process start is most of each crash's cost), one data dir each.
    const lanes = 5;
    const results = await Promise.all(
      Array.from({ length: lanes }, async (_, lane) => {
        const dataDir = await mkdtemp(join(tmpdir(), `fileforge-upload-crash-${lane}-`));
        dirs.push(dataDir);
        return runLane(
          dataDir,
          crashes.filter((_, i) => i % lanes === lane),
        );
      }),
    );
    expect(results.reduce((a, b) => a + b, 0)).toBe(50);
  });
});

/**
 * One of several watcher processes on one folder, for the two-watchers test, run in a child
 * process (tsx + the `@fileforge/source` condition):
 * `watch-shared-child.ts <dataDir> <databaseUrl> <folder> <files> <redisUrl> <lockPrefix>`.
 * Its own data directory (blobs, pid lock), the catalog shared with the other process (one
 * SQLite file), locks in Redis under the test's prefix. It watches until the shared catalog
 * holds `<files>` records and the folder and its claim area are empty, then closes.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { createForge, createRedisLockManager } from '@fileforge/core';

const [dataDir, databaseUrl, folder, files, redisUrl, prefix] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
  string,
];
const locks = createRedisLockManager({ url: redisUrl, prefix });
const forge = await createForge({
  dataDir,
  databaseUrl,
  locks,
  // A window well past the writers' 80 ms pauses, so a stalled test process never makes one look done.
  watch: { folder, stabilityMs: 1500, pollIntervalMs: 50 },
});
process.stdout.write('ready\n');
const pending = async () => {
  const waiting = (await readdir(folder)).filter((name) => name !== '.fileforge-claims');
  const claims = (await readdir(join(folder, '.fileforge-claims'))).filter((name) => name !== 'rejected');
  return waiting.length + claims.length;
};
const deadline = Date.now() + 60_000;
while (Date.now() < deadline) {
  const { items } = await forge.files.list({ limit: 1000 });
  if (items.length >= Number(files) && (await pending()) === 0) break;
  await delay(50);
}
await forge.close();
await locks.close();

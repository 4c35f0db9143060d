/**
 * A small FileForge program for the watch crash test, run in a child process (tsx + the
 * `@fileforge/source` condition): `watch-crash-child.ts <dataDir> <folder>`. It watches
 * `<folder>` until the folder and its claim area are empty and processing is idle, then
 * closes. With FILEFORGE_CRASH_AT set, the forge kills this process at that point.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { createForge } from '@fileforge/core';

const [dataDir, folder] = process.argv.slice(2) as [string, string];

const forge = await createForge({ dataDir, watch: { folder, stabilityMs: 100, pollIntervalMs: 50 } });
const pending = async () => {
  const waiting = (await readdir(folder)).filter((name) => name !== '.fileforge-claims');
  const claims = (await readdir(join(folder, '.fileforge-claims'))).filter((name) => name !== 'rejected');
  return waiting.length + claims.length;
};
while ((await pending()) > 0) await delay(25);
await forge.queue.onIdle();
await forge.close();

/**
 * A watcher run as a user who may not read everything in its folder, for the permissions test
 * (tsx + the `@fileforge/source` condition; run as another uid when the test runs as root):
 * `watch-permissions-child.ts <dataDir> <folder>`. It watches (recursively) until `ok.txt` is
 * ingested or 10 s have passed, then prints `{ started, names, warnings, left }` as JSON.
 */
import { readdir } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { createForge, type Forge } from '@fileforge/core';

const [dataDir, folder] = process.argv.slice(2) as [string, string];
const warnings: string[] = [];
const quiet = () => {};
const logger = {
  debug: quiet,
  info: quiet,
  error: quiet,
  warn: (fields: object) => warnings.push(String((fields as { path?: unknown }).path)),
};
let forge: Forge | undefined;
let started: string | true = true;
try {
  forge = await createForge({
    dataDir,
    logger,
    watch: { folder, recursive: true, stabilityMs: 100, pollIntervalMs: 50 },
  });
} catch (error) {
  started = String(error);
}
let names: string[] = [];
if (forge) {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    names = (await forge.files.list({ limit: 50 })).items.map((r) => r.name);
    if (names.includes('ok.txt')) break;
    await delay(50);
  }
  // A few more scans: what was skipped stays skipped, and is reported once.
  await delay(400);
  await forge.close();
}
process.stdout.write(
  `${JSON.stringify({ started, names, warnings, left: (await readdir(folder)).sort() })}\n`,
);

#!/usr/bin/env node
/**
 * The image's entry point: `fileforge <command>` with Docker/Kubernetes secrets files.
 *
 * For every variable `<NAME>_FILE` in the environment whose `<NAME>` is unset, the file's
 * contents (one trailing newline removed) become `<NAME>`, so a secret mounted at
 * `/run/secrets/…` is never written into the compose file, the image or `docker inspect`:
 *
 *   SECRET_KEY_FILE=/run/secrets/secret_key   →   SECRET_KEY=<the file's contents>
 *
 * A `<NAME>` set directly wins over its file. An unreadable file stops the start with a message
 * naming the variable. Then the `fileforge` CLI runs with the same arguments.
 */
import { readFileSync } from 'node:fs';

for (const [key, path] of Object.entries(process.env)) {
  if (!key.endsWith('_FILE') || !path) continue;
  const name = key.slice(0, -'_FILE'.length);
  if (process.env[name]) continue;
  try {
    process.env[name] = readFileSync(path, 'utf8').replace(/\r?\n$/, '');
  } catch (error) {
    process.stderr.write(
      `[fileforge:config] ${key}: cannot read ${path} (${error?.code ?? error}); mount the secret or set ${name}\n`,
    );
    process.exit(1);
  }
}

await import('../packages/server/bin/fileforge.js');

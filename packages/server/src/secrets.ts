import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { chmod, open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { ensurePrivateDir, type ForgeConfig, PRIVATE_FILE_MODE } from '@fileforge/core';
import type { Logger } from 'pino';

/** The secrets the server needs; generated and persisted when the environment has none. */
export interface ServerSecrets {
  secretKey: string;
  jwtSecretKey: string;
}

const FILE = 'secrets.json';

/**
 * Returns `SECRET_KEY` and `JWT_SECRET_KEY` from the environment, or — so `npm start` works
 * on a fresh clone — from `<DATA_DIR>/secrets.json`, generating and persisting them (mode
 * 0600, written atomically) with a warning the first time. Deployments should set them.
 */
export async function resolveSecrets(config: ForgeConfig, logger: Logger): Promise<ServerSecrets> {
  const fromEnv = { secretKey: config.env.SECRET_KEY, jwtSecretKey: config.env.JWT_SECRET_KEY };
  if (fromEnv.secretKey && fromEnv.jwtSecretKey) return fromEnv as ServerSecrets;
  const path = join(config.dataDir, FILE);
  let stored: Partial<ServerSecrets> = {};
  try {
    stored = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const secrets: ServerSecrets = {
    secretKey: fromEnv.secretKey ?? stored.secretKey ?? randomBytes(32).toString('base64url'),
    jwtSecretKey: fromEnv.jwtSecretKey ?? stored.jwtSecretKey ?? randomBytes(48).toString('base64url'),
  };
  if (secrets.secretKey !== stored.secretKey || secrets.jwtSecretKey !== stored.jwtSecretKey) {
    await ensurePrivateDir(config.dataDir);
    const temp = `${path}.${process.pid}.tmp`;
    const handle = await open(temp, 'w', PRIVATE_FILE_MODE);
    await handle.writeFile(JSON.stringify(secrets, null, 2));
    await handle.sync();
    await handle.close();
    await rename(temp, path);
    await chmod(path, PRIVATE_FILE_MODE);
    logger.warn(
      { path },
      'SECRET_KEY / JWT_SECRET_KEY are not set: generated them and stored them in the data directory. Set them explicitly in production.',
    );
  }
  return secrets;
}

/**
 * `SECRET_KEY` as {@link resolveSecrets} returns it — from the environment, or from
 * `<DATA_DIR>/secrets.json` — but never generated or written: `undefined` when there is none
 * yet. For code that must not invent one (a restore onto a fresh data directory verifies the
 * archive with the key it was made with, or refuses) or that runs after `resolveSecrets` (the
 * scheduled backups). Synchronous: one small file, read once.
 */
export function readSecretKey(config: ForgeConfig): string | undefined {
  if (config.env.SECRET_KEY) return config.env.SECRET_KEY;
  try {
    const stored = JSON.parse(readFileSync(join(config.dataDir, FILE), 'utf8')) as Partial<ServerSecrets>;
    return typeof stored.secretKey === 'string' ? stored.secretKey : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

import { randomBytes } from 'node:crypto';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  createForge,
  createKeyRing,
  createValueSealer,
  openAuditTrailReadOnly,
  openCatalog,
} from '@fileforge/core';
import { createCredentialCipher } from '@fileforge/integrations';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createIntegrationExtensions } from '../src/forge-extensions.js';
import { spawnCli } from './support/child.js';
import { makeTempDir, stopTestServers } from './support/server.js';

afterEach(stopTestServers);

const keyA = `a:${randomBytes(32).toString('base64')}`;
const keyB = `b:${randomBytes(32).toString('base64url')}`;

async function run(args: string[], env: Record<string, string>) {
  const cli = spawnCli(args, { LOG_LEVEL: 'silent', ...env });
  const code = await cli.exited;
  return { code, ...cli.output() };
}

// Issue 12: `fileforge keys rotate` re-wraps every blob under the current key, idempotently,
// after which the old key can be removed.
describe('fileforge keys rotate', () => {
  it('re-wraps old-key files, is a no-op the second time, and the old key can then go', async () => {
    const dataDir = await makeTempDir();
    const content = randomBytes(150_000);
    let forge = await createForge({ dataDir, encryption: { keys: [keyA] } });
    const { id } = await forge.ingest(Readable.from([content]), { name: 'old.bin' });
    await forge.close();

    const env = { DATA_DIR: dataDir, ENCRYPTION_KEY: keyB, ENCRYPTION_KEYS_OLD: keyA };
    const first = await run(['keys', 'rotate'], env);
    expect(first.stderr).toContain('rotating to key b');
    expect(first.stdout).toMatch(/^1 re-wrapped, 0 already current, 0 failed \(of 1\)/);
    expect(first.code).toBe(0);
    const again = await run(['keys', 'rotate'], env);
    expect(again.stdout).toMatch(/^0 re-wrapped, 1 already current, 0 failed/);

    // Each rotation is in the audit trail, installation-wide, naming the key rotated to, with
    // the operator who ran the command as actor.
    const cli = { type: 'cli', id: userInfo().username };
    const trail = await openAuditTrailReadOnly(`sqlite:${join(dataDir, 'fileforge.db')}`);
    try {
      const { items } = await trail.list({ action: 'encryption.key_rotate' });
      expect(items.map((e) => e.actor)).toEqual([cli, cli]);
      expect(items.map((e) => [e.target.id, e.details])).toEqual([
        ['b', expect.objectContaining({ blobs: { rewrapped: 0, current: 1, failed: 0 } })],
        ['b', expect.objectContaining({ blobs: { rewrapped: 1, current: 0, failed: 0 } })],
      ]);
    } finally {
      await trail.close();
    }

    forge = await createForge({ dataDir, encryption: { keys: [keyB] } });
    try {
      const { stream } = await forge.files.open(id);
      expect(Buffer.concat(await stream.toArray()).equals(content)).toBe(true);
    } finally {
      await forge.close();
    }

    // A blob under a key that is not configured is listed, and the exit code says so.
    const lost = await run(['keys', 'rotate', '--json'], { DATA_DIR: dataDir, ENCRYPTION_KEY: keyA });
    expect(lost.code).toBe(1);
    expect(lost.stderr).toContain('KEY_UNAVAILABLE');
    expect(JSON.parse(lost.stdout)).toMatchObject({
      files: { total: 1, rewrapped: 0, failed: [expect.objectContaining({ code: 'KEY_UNAVAILABLE' })] },
      secrets: { failed: [] },
    });
    // Four CLI runs, each a cold start of the CLI: seconds apiece on a loaded machine.
  }, 180_000);

  it('explains itself with --help and refuses to run without ENCRYPTION_KEY', async () => {
    const help = await run(['keys', '--help'], {});
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('works while the server runs');
    const dataDir = await makeTempDir();
    const none = await run(['keys', 'rotate'], { DATA_DIR: dataDir, ENCRYPTION_KEY: '' });
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('ENCRYPTION_KEY is not set');
  }, 60_000);

  it('re-seals connector credentials and webhook secrets under the current key, SECRET_KEY-sealed ones included', async () => {
    const dataDir = await makeTempDir();
    const secretKey = 'keys-rotate-secret-key-0123456789';
    const integrations = createIntegrationExtensions({ secretKey, allowedHosts: ['127.0.0.1'] });
    const forge = await createForge({ dataDir, extensions: integrations.extensions });
    const at = new Date().toISOString();
    const { keyId, sealed } = createCredentialCipher({ secretKey }).seal(
      '{"botToken":"xoxb-rotate-me"}',
      'default/slack',
    );
    await sql`insert into connector_credentials (tenant, slug, key_id, sealed, fields, connected_at, updated_at)
      values ('default', 'slack', ${keyId}, ${sealed}, '["botToken"]', ${at}, ${at})`.execute(
      forge.catalog.db!(),
    );
    const { subscription, secret } = await integrations.webhooks.service.subscribe({
      name: 'crm',
      url: 'http://127.0.0.1:9/hook',
      events: ['file.*'],
    });
    await forge.close();

    /** Opens both values with `keys` and a SECRET_KEY that is not the one they were sealed with. */
    const readWith = async (keys: string[]) => {
      const catalog = await openCatalog(`sqlite:${join(dataDir, 'fileforge.db')}`);
      try {
        const keyRing = createKeyRing({ keys });
        const other = { secretKey: 'a-different-secret-key-987654321', keyRing };
        const db = catalog.db!();
        const creds = (
          await sql<{
            key_id: string;
            sealed: string;
          }>`select key_id, sealed from connector_credentials`.execute(db)
        ).rows[0]!;
        const row = (await sql<{ secret: string }>`select secret from webhook_endpoints`.execute(db))
          .rows[0]!;
        return {
          keyId: creds.key_id,
          credentials: JSON.parse(
            createCredentialCipher(other).open(creds.sealed, creds.key_id, 'default/slack'),
          ),
          // Under the ring's key: the webhook purpose of core's value sealer opens it without SECRET_KEY.
          secret: createValueSealer({ purpose: 'webhooks:endpoint-secret', keyRing }).open(
            row.secret,
            subscription.id,
          ),
        };
      } finally {
        await catalog.close();
      }
    };

    const toA = await run(['keys', 'rotate'], {
      DATA_DIR: dataDir,
      SECRET_KEY: secretKey,
      ENCRYPTION_KEY: keyA,
    });
    expect(toA.code, toA.stderr).toBe(0);
    expect(toA.stdout).toContain('secrets: 2 re-sealed, 0 already current, 0 failed');
    expect(await readWith([keyA])).toEqual({
      keyId: 'a',
      credentials: { botToken: 'xoxb-rotate-me' },
      secret,
    });

    const toB = await run(['keys', 'rotate'], {
      DATA_DIR: dataDir,
      SECRET_KEY: secretKey,
      ENCRYPTION_KEY: keyB,
      ENCRYPTION_KEYS_OLD: keyA,
    });
    expect(toB.code, toB.stderr).toBe(0);
    expect(toB.stdout).toContain('secrets: 2 re-sealed, 0 already current, 0 failed');
    expect(await readWith([keyB])).toEqual({
      keyId: 'b',
      credentials: { botToken: 'xoxb-rotate-me' },
      secret,
    });
  }, 60_000);
});

/**
 * Issue 12: connector credentials at rest use ENCRYPTION_KEY when one is configured. Rows
 * sealed under the SECRET_KEY-derived key (before ENCRYPTION_KEY was set) still open and are
 * re-sealed under the ring's key when written again; a key rotation leaves every row readable.
 */
import { createCipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { createKeyRing, type KeyRing } from '@fileforge/core';
import { type Kysely, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type ConnectorTables,
  createCredentialCipher,
  createCredentialStore,
} from '../src/connectors/index.js';
import { type ConnectorForge, openConnectorForge, TEST_SECRET_KEY } from './support/connectors.js';

const keyA = `a:${randomBytes(32).toString('base64')}`;
const keyB = `b:${randomBytes(32).toString('base64url')}`;
const TOKEN = 'xoxb-credential-at-rest-0123456789';
const opened: ConnectorForge[] = [];

afterEach(async () => {
  for (const t of opened.splice(0)) await t.close();
});

async function catalog(): Promise<Kysely<ConnectorTables>> {
  const t = await openConnectorForge();
  opened.push(t);
  return t.forge.catalog.db!() as Kysely<ConnectorTables>;
}

const storeOf = (db: Kysely<ConnectorTables>, keyRing?: KeyRing) =>
  createCredentialStore({ db, cipher: createCredentialCipher({ secretKey: TEST_SECRET_KEY, keyRing }) });

async function rawRows(db: Kysely<ConnectorTables>) {
  const { rows } = await sql<{ key_id: string; sealed: string }>`select * from connector_credentials`.execute(
    db,
  );
  return rows;
}

describe('connector credentials at rest (issue 12)', () => {
  it('seal under ENCRYPTION_KEY, do not open with only the SECRET_KEY-derived key, and never appear in raw rows', async () => {
    const db = await catalog();
    const ringA = createKeyRing({ keys: [keyA] });
    await storeOf(db, ringA).put('acme', 'slack', { botToken: TOKEN });
    const [row] = await rawRows(db);
    expect(row).toMatchObject({ key_id: 'a' });
    expect(JSON.stringify(row)).not.toContain(TOKEN);
    expect(JSON.stringify(row)).not.toContain(Buffer.from(TOKEN).toString('base64').slice(0, 16));
    expect(await storeOf(db, ringA).get('acme', 'slack')).toEqual({ botToken: TOKEN });
    await expect(storeOf(db).get('acme', 'slack')).rejects.toMatchObject({ code: 'KEY_UNAVAILABLE' });
  });

  it('rows sealed under SECRET_KEY (this and the earlier v1 format) open once ENCRYPTION_KEY is set, and are re-sealed when written', async () => {
    const db = await catalog();
    await storeOf(db).put('acme', 'slack', { botToken: TOKEN });
    expect((await rawRows(db))[0]!.key_id).toMatch(/^hkdf-sha256:/);
    // A row as the previous version wrote it: v1, no key id in the value, raw `tenant/slug` AAD.
    const key = Buffer.from(
      hkdfSync('sha256', TEST_SECRET_KEY, 'fileforge', 'fileforge:connectors:credentials:v1', 32),
    );
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from('acme/teams'));
    const body = Buffer.concat([
      cipher.update(JSON.stringify({ clientSecret: 'old' }), 'utf8'),
      cipher.final(),
    ]);
    await db
      .insertInto('connector_credentials')
      .values({
        tenant: 'acme',
        slug: 'teams',
        key_id: `hkdf-sha256:${createHash('sha256').update(key).digest('hex').slice(0, 16)}`,
        sealed: `v1.${[iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url')).join('.')}`,
        fields: '["clientSecret"]',
        connected_at: new Date().toISOString(),
        updated_at: new Date().toISOString(),
      })
      .execute();

    const ringA = createKeyRing({ keys: [keyA] });
    const store = storeOf(db, ringA);
    expect(await store.get('acme', 'slack')).toEqual({ botToken: TOKEN });
    expect(await store.get('acme', 'teams')).toEqual({ clientSecret: 'old' });
    await store.put('acme', 'slack', { botToken: TOKEN });
    const keyIds = Object.fromEntries(
      (
        await sql<{ slug: string; key_id: string }>`select slug, key_id from connector_credentials`.execute(
          db,
        )
      ).rows.map((r) => [r.slug, r.key_id]),
    );
    expect(keyIds.slack).toBe('a');
    expect(keyIds.teams).toMatch(/^hkdf-sha256:/);
    expect(await storeOf(db, ringA).get('acme', 'slack')).toEqual({ botToken: TOKEN });
  });

  it('rotating ENCRYPTION_KEY leaves every row readable while the old key is in ENCRYPTION_KEYS_OLD', async () => {
    const db = await catalog();
    await storeOf(db, createKeyRing({ keys: [keyA] })).put('acme', 'slack', { botToken: TOKEN });
    const rotated = storeOf(db, createKeyRing({ keys: [keyB, keyA] }));
    expect(await rotated.get('acme', 'slack')).toEqual({ botToken: TOKEN });
    await rotated.put('acme', 'slack', { botToken: TOKEN });
    expect((await rawRows(db))[0]!.key_id).toBe('b');
    expect(await storeOf(db, createKeyRing({ keys: [keyB] })).get('acme', 'slack')).toEqual({
      botToken: TOKEN,
    });
  });
});

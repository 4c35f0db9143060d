/**
 * Issue 12: endpoint secrets at rest use ENCRYPTION_KEY when one is configured. Secrets stored
 * under the SECRET_KEY-derived key (before ENCRYPTION_KEY was set) still sign, are re-sealed
 * under the ring's key when rotated, and raw rows never hold a secret.
 */
import { createCipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { createKeyRing, type Forge } from '@fileforge/core';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createSecretBox } from '../src/webhooks/secret-box.js';
import {
  openForge,
  type Receiver,
  removeDir,
  SECRET_KEY,
  startReceiver,
  type TestForge,
  until,
} from './webhooks-support.js';

const keyA = `a:${randomBytes(32).toString('base64')}`;
const keyB = `b:${randomBytes(32).toString('base64url')}`;
const cleanup: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function endpointRows(forge: Forge) {
  const { rows } = await sql<{ id: string; secret: string; previous_secret: string | null }>`
    select id, secret, previous_secret from webhook_endpoints`.execute(forge.catalog.db!());
  return rows;
}

async function open(dataDir: string | undefined, keys?: string[]): Promise<TestForge> {
  const keyRing = keys ? createKeyRing({ keys }) : undefined;
  const t = await openForge(keyRing ? { keyRing } : {}, dataDir ? { dataDir } : {});
  return t;
}

/** Sends a test message and resolves once the receiver verified it with `secret`. */
async function signsWith(t: TestForge, receiver: Receiver, id: string, secret: string): Promise<void> {
  receiver.secrets.splice(0, receiver.secrets.length, secret);
  const before = receiver.received.length;
  await t.hooks.service.test(id);
  await until(() => receiver.received.length > before);
  expect(receiver.received.at(-1)?.verified).toBe(true);
}

describe('webhook endpoint secrets at rest (issue 12)', () => {
  it('seal under ENCRYPTION_KEY, open only with the ring, and never appear in raw rows', async () => {
    const t = await open(undefined, [keyA]);
    cleanup.push(
      () => removeDir(t.dataDir),
      () => t.close(),
    );
    const { subscription, secret } = await t.hooks.service.subscribe({
      name: 'crm',
      url: 'http://127.0.0.1:9/hook',
      events: ['file.*'],
    });
    const [row] = await endpointRows(t.forge);
    expect(JSON.stringify(row)).not.toContain(secret);
    expect(JSON.stringify(row)).not.toContain(secret.replace(/^whsec_/, ''));
    expect(row!.secret.startsWith('v2.')).toBe(true);

    const ring = createKeyRing({ keys: [keyA] });
    expect(createSecretBox({ secretKey: SECRET_KEY, keyRing: ring }).open(row!.secret, subscription.id)).toBe(
      secret,
    );
    expect(() => createSecretBox(SECRET_KEY).open(row!.secret, subscription.id)).toThrow(
      expect.objectContaining({ code: 'KEY_UNAVAILABLE' }),
    );
  });

  it('secrets stored under SECRET_KEY still sign once ENCRYPTION_KEY is set, are re-sealed when rotated, and survive a key rotation', async () => {
    const receiver = await startReceiver();
    cleanup.push(() => receiver.close());
    let t = await open(undefined);
    const dataDir = t.dataDir;
    cleanup.push(() => removeDir(dataDir));
    const { subscription, secret: first } = await t.hooks.service.subscribe({
      name: 'crm',
      url: receiver.url,
      events: ['file.*'],
    });
    await t.close();

    t = await open(dataDir, [keyA]);
    await signsWith(t, receiver, subscription.id, first);
    const { secret: second } = await t.hooks.service.rotateSecret(subscription.id);
    const ringA = createKeyRing({ keys: [keyA] });
    const [rotated] = await endpointRows(t.forge);
    expect(
      createSecretBox({ secretKey: SECRET_KEY, keyRing: ringA }).open(rotated!.secret, subscription.id),
    ).toBe(second);
    expect(() => createSecretBox(SECRET_KEY).open(rotated!.secret, subscription.id)).toThrow();
    expect(JSON.stringify(rotated)).not.toContain(second);
    await t.close();

    // ENCRYPTION_KEY=b, ENCRYPTION_KEYS_OLD=a: everything sealed under a still reads.
    t = await open(dataDir, [keyB, keyA]);
    cleanup.push(() => t.close());
    await signsWith(t, receiver, subscription.id, second);
  });

  it('open values in the format of earlier versions (v1, SECRET_KEY-derived) once ENCRYPTION_KEY is set', () => {
    const key = Buffer.from(
      hkdfSync('sha256', SECRET_KEY, 'fileforge', 'fileforge:webhooks:endpoint-secret:v1', 32),
    );
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from('ep_1'));
    const body = Buffer.concat([cipher.update('whsec_old', 'utf8'), cipher.final()]);
    const v1 = `v1.${[iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url')).join('.')}`;
    const box = createSecretBox({ secretKey: SECRET_KEY, keyRing: createKeyRing({ keys: [keyA] }) });
    expect(box.open(v1, 'ep_1')).toBe('whsec_old');
    expect(() => box.open(v1, 'ep_2')).toThrow();
  });
});

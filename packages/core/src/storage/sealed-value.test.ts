import { createCipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createKeyRing } from './key-ring.js';
import { createValueSealer, type SealingKey } from './sealed-value.js';

const keyA = `a:${randomBytes(32).toString('base64')}`;
const keyB = `b:${randomBytes(32).toString('base64url')}`;
const legacy: SealingKey = { id: 'hkdf-sha256:0123456789abcdef', key: randomBytes(32) };
const purpose = 'connectors:credentials';

/** A value in the format of earlier versions: `v1.<iv>.<tag>.<body>`, raw AAD, no key id. */
function sealV1(key: Buffer, plain: string, aad: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return `v1.${[iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url')).join('.')}`;
}

describe('createValueSealer (issue 12: credentials and webhook secrets under ENCRYPTION_KEY)', () => {
  it('seals under the ring’s current key, never shows the plaintext, and opens bound to its AAD', () => {
    const sealer = createValueSealer({
      purpose,
      keyRing: createKeyRing({ keys: [keyA] }),
      fallbackKeys: [legacy],
    });
    const one = sealer.seal('xoxb-secret-token', 'default/slack');
    const two = sealer.seal('xoxb-secret-token', 'default/slack');
    expect(sealer.keyId).toBe('a');
    expect(sealer.keyIdOf(one)).toBe('a');
    expect(one).not.toContain('xoxb');
    expect(one).not.toBe(two);
    expect(sealer.open(one, 'default/slack')).toBe('xoxb-secret-token');
    expect(() => sealer.open(one, 'acme/slack')).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
    const parts = one.split('.');
    const body = Buffer.from(parts.at(-1)!, 'base64url');
    body[0] = (body[0] ?? 0) ^ 0x01;
    const flipped = [...parts.slice(0, -1), body.toString('base64url')].join('.');
    expect(flipped).not.toBe(one);
    expect(() => sealer.open(flipped, 'default/slack')).toThrow(/does not decrypt/);
  });

  it('refuses a value whose authentication tag was cut short (GCM would check only what is left)', () => {
    const sealer = createValueSealer({ purpose, keyRing: createKeyRing({ keys: [keyA] }) });
    const parts = sealer.seal('xoxb-secret-token', 'default/slack').split('.');
    const tagAt = parts.length - 2;
    for (const bytes of [4, 8, 12]) {
      const short = [...parts];
      short[tagAt] = Buffer.from(parts[tagAt]!, 'base64url').subarray(0, bytes).toString('base64url');
      expect(() => sealer.open(short.join('.'), 'default/slack'), `${bytes}-byte tag`).toThrow(
        /does not decrypt/,
      );
    }
    expect(sealer.open(parts.join('.'), 'default/slack')).toBe('xoxb-secret-token');
  });

  it('keeps purposes apart: a credential does not open as a webhook secret under the same key', () => {
    const keyRing = createKeyRing({ keys: [keyA] });
    const sealed = createValueSealer({ purpose, keyRing }).seal('s', 'x');
    expect(() =>
      createValueSealer({ purpose: 'webhooks:endpoint-secret', keyRing }).open(sealed, 'x'),
    ).toThrow(/does not decrypt/);
  });

  it('a value sealed with ENCRYPTION_KEY does not open with only the SECRET_KEY-derived keys', () => {
    const sealed = createValueSealer({ purpose, keyRing: createKeyRing({ keys: [keyA] }) }).seal('s', 'x');
    const withoutRing = createValueSealer({ purpose, fallbackKeys: [legacy] });
    expect(() => withoutRing.open(sealed, 'x')).toThrow(
      expect.objectContaining({ code: 'KEY_UNAVAILABLE', details: { keyId: 'a' } }),
    );
  });

  it('opens values sealed before ENCRYPTION_KEY was set (v1 and v2 under the fallback key), sealing anew under the ring', () => {
    const before = createValueSealer({ purpose, fallbackKeys: [legacy] });
    expect(before.keyId).toBe(legacy.id);
    const v2 = before.seal('old-secret', 'default/slack');
    const v1 = sealV1(legacy.key, 'oldest-secret', 'default/slack');
    const after = createValueSealer({
      purpose,
      keyRing: createKeyRing({ keys: [keyA] }),
      fallbackKeys: [legacy],
    });
    expect(after.open(v2, 'default/slack')).toBe('old-secret');
    expect(after.open(v1, 'default/slack', legacy.id)).toBe('oldest-secret');
    expect(after.open(v1, 'default/slack')).toBe('oldest-secret');
    expect(after.keyIdOf(after.seal('old-secret', 'default/slack'))).toBe('a');
  });

  it('after rotation old-key values open while the old key is configured, and fail cleanly once it is removed', () => {
    const sealed = createValueSealer({ purpose, keyRing: createKeyRing({ keys: [keyA] }) }).seal('s', 'x');
    const rotated = createValueSealer({ purpose, keyRing: createKeyRing({ keys: [keyB, keyA] }) });
    expect(rotated.keyId).toBe('b');
    expect(rotated.open(sealed, 'x')).toBe('s');
    const resealed = rotated.seal(rotated.open(sealed, 'x'), 'x');
    const onlyB = createValueSealer({ purpose, keyRing: createKeyRing({ keys: [keyB] }) });
    expect(onlyB.open(resealed, 'x')).toBe('s');
    expect(() => onlyB.open(sealed, 'x')).toThrow(expect.objectContaining({ code: 'KEY_UNAVAILABLE' }));
  });

  it('refuses to be created without any key', () => {
    expect(() => createValueSealer({ purpose })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
  });
});

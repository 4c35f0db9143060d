import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createKeyRing, keyRingFromEnv, parseMasterKey } from './key-ring.js';

describe('key ring', () => {
  it('accepts a Fernet-style key (32 bytes, URL-safe base64 with padding) and derives its id', () => {
    const raw = randomBytes(32);
    const fernet = `${raw.toString('base64url')}=`;
    const key = parseMasterKey(fernet);
    expect(key.key.equals(raw)).toBe(true);
    expect(key.id).toBe(createHash('sha256').update(raw).digest('hex').slice(0, 8));
    expect(parseMasterKey(raw.toString('base64')).id).toBe(key.id);
  });

  it('takes an explicit id before a colon', () => {
    expect(parseMasterKey(`2025-q1:${randomBytes(32).toString('base64')}`).id).toBe('2025-q1');
  });

  it('refuses keys of the wrong length or alphabet without echoing them', () => {
    const short = randomBytes(16).toString('base64');
    expect(() => parseMasterKey(short)).toThrow(/32-byte key/);
    try {
      parseMasterKey(short);
    } catch (error) {
      expect((error as Error).message).not.toContain(short);
    }
    expect(() => parseMasterKey('not base64!')).toThrow(/base64/);
    expect(() => parseMasterKey(`bad id:${randomBytes(32).toString('base64')}`)).toThrow(/key id/);
  });

  it('makes the first key current, keeps the others for reading, and refuses an id clash', () => {
    const [a, b] = [randomBytes(32), randomBytes(32)];
    const ring = createKeyRing({
      keys: [
        { id: 'new', key: a },
        { id: 'old', key: b },
      ],
    });
    expect(ring.current.id).toBe('new');
    expect(ring.get('old')?.key.equals(b)).toBe(true);
    expect(ring.ids).toEqual(['new', 'old']);
    expect(() =>
      createKeyRing({
        keys: [
          { id: 'x', key: a },
          { id: 'x', key: b },
        ],
      }),
    ).toThrow(/same id|the id/);
    expect(() => createKeyRing({ keys: [{ key: a }], currentKeyId: 'nope' })).toThrow(/currentKeyId/);
  });

  it('reads ENCRYPTION_KEY and ENCRYPTION_KEYS_OLD', () => {
    const [a, b] = [randomBytes(32), randomBytes(32)];
    expect(keyRingFromEnv({})).toBeUndefined();
    const ring = keyRingFromEnv({
      ENCRYPTION_KEY: a.toString('base64url'),
      ENCRYPTION_KEYS_OLD: [`old:${b.toString('base64')}`],
    })!;
    expect(ring.current.key.equals(a)).toBe(true);
    expect(ring.get('old')?.key.equals(b)).toBe(true);
  });
});

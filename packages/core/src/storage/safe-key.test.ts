import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isKey, resolveKey } from './safe-key.js';

describe('resolveKey', () => {
  it('puts a generated key under the root, as path.resolve would', () => {
    for (const root of ['/data/uploads', '/data/uploads/', '/data/x/../uploads', 'relative/uploads', '/']) {
      for (const key of ['ab/cd/abcdef0123', 'blob.tmp', 'a1/b-2/c_3.d']) {
        expect(resolveKey(root, key)).toBe(resolve(root, ...key.split('/')));
      }
    }
  });

  it('follows the working directory for a relative root', () => {
    const before = process.cwd();
    try {
      process.chdir('/tmp');
      expect(resolveKey('store', 'ab/cd')).toBe(join('/tmp', 'store', 'ab', 'cd'));
    } finally {
      process.chdir(before);
    }
  });

  it('refuses every key that is not generated, so none reaches outside the root', () => {
    for (const key of [
      '',
      '..',
      '../etc/passwd',
      'ab/../../x',
      'ab//cd',
      '/etc/passwd',
      'ab/.hidden',
      'a..b',
      'AB/cd',
      'ab\\..\\x',
      'a/b/c/d/e/f/g/h/i',
    ]) {
      expect(() => resolveKey('/data/uploads', key), key).toThrow(/Invalid blob key/);
      expect(isKey(key)).toBe(false);
    }
    expect(isKey('ab/cd/ef')).toBe(true);
  });
});

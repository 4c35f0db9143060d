import { describe, expect, it } from 'vitest';
import { FileForgeError, toFileForgeError } from './fileforge-error.js';

const fault = (code: string) => Object.assign(new Error(code), { code });

describe('toFileForgeError', () => {
  it('passes FileForge errors through and recognises them across copies by brand', () => {
    const error = new FileForgeError('NOT_FOUND', 'gone');
    expect(toFileForgeError(error)).toBe(error);
    expect(FileForgeError.is(new Error('plain'))).toBe(false);
    // An error made by another copy of the package carries the same registered symbol.
    expect(
      FileForgeError.is(Object.assign(new Error('other copy'), { [Symbol.for('fileforge.error')]: true })),
    ).toBe(true);
  });

  it('maps a full disk to INSUFFICIENT_STORAGE and other storage faults to STORAGE_UNAVAILABLE', () => {
    expect(toFileForgeError(fault('ENOSPC')).code).toBe('INSUFFICIENT_STORAGE');
    expect(toFileForgeError(fault('EROFS')).code).toBe('STORAGE_UNAVAILABLE');
  });

  it('keeps the cause and falls back to the given code', () => {
    const cause = new Error('boom');
    const converted = toFileForgeError(cause, 'CATALOG_UNAVAILABLE');
    expect(converted).toMatchObject({ code: 'CATALOG_UNAVAILABLE', cause });
    expect(toFileForgeError(Object.assign(new Error('x'), { name: 'AbortError' })).code).toBe('ABORTED');
  });
});

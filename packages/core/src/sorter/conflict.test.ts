import { describe, expect, it } from 'vitest';
import { numberedName, type Occupant, resolveConflict } from './conflict.js';
import { tempNameFor } from './folder/move.js';
import { testSubject } from './test-subject.js';

const subject = testSubject({ sha256: 'a'.repeat(64) });
const wanted = 'invoices/acme.pdf';
const other: Occupant = { path: wanted, sha256: 'b'.repeat(64), id: 'other' };
const same: Occupant = { path: wanted, sha256: 'a'.repeat(64), id: 'twin' };
const takenSet = (...paths: string[]) => {
  const set = new Set([wanted, ...paths]);
  return (path: string) => set.has(path);
};

describe('numberedName', () => {
  it('numbers before the extension, Finder-style', () => {
    expect(numberedName('a/b/name.ext', 2)).toBe('a/b/name 2.ext');
    expect(numberedName('name.tar.gz', 3)).toBe('name.tar 3.gz');
    expect(numberedName('README', 2)).toBe('README 2');
    expect(numberedName('dir/.env', 2)).toBe('dir/.env 2');
  });

  it('keeps a name at the 255-byte limit within it, cutting the stem (whole code points) before the number', () => {
    const long = `${'x'.repeat(251)}.txt`;
    expect(numberedName(`docs/${long}`, 2)).toBe(`docs/${'x'.repeat(249)} 2.txt`);
    expect(Buffer.byteLength(numberedName(long, 12))).toBe(255);
    const wide = `${'é'.repeat(125)}.pdf`; // 250 + 4 bytes
    const numbered = numberedName(wide, 2);
    expect(Buffer.byteLength(numbered)).toBeLessThanOrEqual(255);
    expect(numbered).toBe(`${'é'.repeat(124)} 2.pdf`);
  });
});

describe('resolveConflict', () => {
  it('moves when the destination is free, whatever the mode', () => {
    expect(resolveConflict('skip', wanted, subject, null, () => false)).toMatchObject({
      action: 'move',
      to: wanted,
    });
  });

  it('skip leaves the file', () => {
    expect(resolveConflict('skip', wanted, subject, other, takenSet())).toMatchObject({
      action: 'skip',
      to: wanted,
    });
  });

  it('overwrite replaces the occupant', () => {
    expect(resolveConflict('overwrite', wanted, subject, other, takenSet())).toMatchObject({
      action: 'overwrite',
      to: wanted,
    });
  });

  it('rename_new picks the first free numbered name', () => {
    expect(
      resolveConflict('rename_new', wanted, subject, other, takenSet('invoices/acme 2.pdf')),
    ).toMatchObject({
      action: 'move',
      to: 'invoices/acme 3.pdf',
    });
  });

  it('deduplicate keeps one copy of identical content and renames different content', () => {
    expect(resolveConflict('deduplicate', wanted, subject, same, takenSet())).toMatchObject({
      action: 'deduplicate',
      to: wanted,
    });
    expect(resolveConflict('deduplicate', wanted, subject, other, takenSet())).toMatchObject({
      action: 'move',
      to: 'invoices/acme 2.pdf',
    });
  });

  it('rename_existing moves the occupant to a numbered name', () => {
    expect(resolveConflict('rename_existing', wanted, subject, other, takenSet())).toEqual({
      action: 'rename_existing',
      to: wanted,
      displaced: { path: wanted, to: 'invoices/acme 2.pdf' },
      reason: 'destination occupied; the existing file was renamed to acme 2.pdf',
    });
  });

  it('trash moves the occupant under .trash, numbered when needed', () => {
    expect(resolveConflict('trash', wanted, subject, other, takenSet()).displaced).toEqual({
      path: wanted,
      to: '.trash/invoices/acme.pdf',
    });
    expect(
      resolveConflict('trash', wanted, subject, other, takenSet('.trash/invoices/acme.pdf')).displaced,
    ).toEqual({
      path: wanted,
      to: '.trash/invoices/acme 2.pdf',
    });
  });

  it('never destroys a file planned in the same run: destructive modes rename instead', () => {
    const planned: Occupant = { ...other, planned: true };
    for (const mode of ['overwrite', 'rename_existing', 'trash'] as const) {
      expect(resolveConflict(mode, wanted, subject, planned, takenSet())).toMatchObject({
        action: 'move',
        to: 'invoices/acme 2.pdf',
      });
    }
  });
});

describe('tempNameFor', () => {
  it('names a cross-filesystem copy within 255 bytes, however long its destination', () => {
    const temp = tempNameFor(`/sorted/${'x'.repeat(255)}`, 'run_0123456789');
    const name = temp.slice('/sorted/'.length);
    expect(Buffer.byteLength(name)).toBe(255);
    expect(name.startsWith('.xxx')).toBe(true);
    expect(name.endsWith('.run_0123456789.fileforge-tmp')).toBe(true);
    expect(tempNameFor('/sorted/a.pdf', 'r1')).toBe('/sorted/.a.pdf.r1.fileforge-tmp');
  });
});

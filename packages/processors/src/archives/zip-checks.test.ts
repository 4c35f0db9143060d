import { buildZip } from '@fileforge/test-fixtures/zip';
import { describe, expect, it } from 'vitest';
import { fromBuffer } from 'yauzl';
import { lyingStored, symlink, trailingData, zipSlip } from '../../test/archive-fixtures.js';
import {
  entryRange,
  findOverlap,
  isAllowedDirectoryGap,
  isSymlinkAttributes,
  toZipRejection,
  unsafeEntryName,
} from './zip-checks.js';

const range = (name: string, start: number, end: number) => ({ name, start, end });

describe('findOverlap', () => {
  it('accepts no ranges, one range, and adjacent ranges', () => {
    expect(findOverlap([])).toBeNull();
    expect(findOverlap([range('a', 0, 10)])).toBeNull();
    expect(findOverlap([range('a', 0, 10), range('b', 10, 20), range('c', 20, 21)])).toBeNull();
  });

  it('accepts gaps between entries (data descriptors, padding)', () => {
    expect(findOverlap([range('a', 0, 10), range('b', 50, 60)])).toBeNull();
  });

  it('finds ranges that share one byte, whatever the input order', () => {
    expect(findOverlap([range('b', 9, 20), range('a', 0, 10)])?.map((r) => r.name)).toEqual(['a', 'b']);
  });

  it('finds entries pointing at the same local header', () => {
    expect(findOverlap([range('a', 0, 100), range('b', 0, 100)])).not.toBeNull();
  });

  it('finds a range nested inside an earlier one (a local header hidden in compressed data)', () => {
    const found = findOverlap([range('z', 2000, 2100), range('c', 500, 600), range('a', 0, 1000)]);
    expect(found?.map((r) => r.name)).toEqual(['a', 'c']);
  });

  it('spans the local header, the name and the compressed data', () => {
    expect(entryRange('x.txt', 100, 5, 7)).toEqual({ name: 'x.txt', start: 100, end: 142 });
  });
});

describe('unsafeEntryName', () => {
  it.each(['readme.txt', 'a/b/c.txt', 'dir/', 'a..b/..c', './x', '[Content_Types].xml'])(
    'accepts %s',
    (name) => {
      expect(unsafeEntryName(name)).toBeNull();
    },
  );

  it.each([
    ['../../evil.txt', '".." segment'],
    ['a/../../b', '".." segment'],
    ['..', '".." segment'],
    ['/etc/passwd', 'absolute path'],
    ['C:/evil', 'drive letter'],
    ['c:evil', 'drive letter'],
    ['..\\evil', 'backslash in name'],
    ['evil\0.txt', 'NUL byte in name'],
    ['', 'empty name'],
  ])('refuses %j (%s)', (name, why) => {
    expect(unsafeEntryName(name)).toBe(why);
  });
});

describe('isSymlinkAttributes', () => {
  it('recognises S_IFLNK in the upper 16 bits only', () => {
    expect(isSymlinkAttributes((0o120777 << 16) >>> 0)).toBe(true);
    expect(isSymlinkAttributes((0o100644 << 16) >>> 0)).toBe(false); // regular file
    expect(isSymlinkAttributes((0o040755 << 16) >>> 0)).toBe(false); // directory
    expect(isSymlinkAttributes((0o140755 << 16) >>> 0)).toBe(false); // socket shares a bit with S_IFLNK
    expect(isSymlinkAttributes(0x20)).toBe(false); // MS-DOS archive bit
  });
});

/** Reads a buffer with yauzl as the guard configures it and returns the first error. */
function yauzlError(bytes: Buffer): Promise<unknown> {
  return new Promise((resolve) => {
    fromBuffer(
      bytes,
      { lazyEntries: true, strictFileNames: true, validateEntrySizes: true },
      (error, zip) => {
        if (error) return resolve(error);
        zip
          .on('error', resolve)
          .on('entry', () => zip.readEntry())
          .on('end', () => resolve(null));
        zip.readEntry();
      },
    );
  });
}

describe('isAllowedDirectoryGap', () => {
  /** A zip64 end record (`extensible` bytes of extensible data) and its locator. */
  const zip64Tail = (extensible = 0, declared = 44 + extensible) => {
    const record = Buffer.alloc(56 + extensible);
    record.writeUInt32LE(0x06064b50, 0);
    record.writeBigUInt64LE(BigInt(declared), 4);
    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(0x07064b50, 0);
    return Buffer.concat([record, locator]);
  };

  it('allows nothing, or exactly a zip64 end record and its locator', () => {
    expect(isAllowedDirectoryGap(Buffer.alloc(0))).toBe(true);
    expect(isAllowedDirectoryGap(zip64Tail())).toBe(true);
    expect(isAllowedDirectoryGap(zip64Tail(16))).toBe(true);
  });

  it('refuses anything else: a payload, a record of another size than it declares, no locator', () => {
    expect(isAllowedDirectoryGap(Buffer.from('<script>alert(1)</script>'))).toBe(false);
    expect(isAllowedDirectoryGap(Buffer.concat([zip64Tail(), Buffer.from('x')]))).toBe(false);
    expect(isAllowedDirectoryGap(Buffer.concat([Buffer.from('payload!'), zip64Tail()]))).toBe(false);
    expect(isAllowedDirectoryGap(zip64Tail(16, 44))).toBe(false);
    const noLocator = zip64Tail();
    noLocator.writeUInt32LE(0, 56);
    expect(isAllowedDirectoryGap(noLocator)).toBe(false);
  });
});

describe('toZipRejection', () => {
  // Pins the yauzl 3.4 messages the guard classifies; a yauzl upgrade that rewords them fails here.
  it.each([
    ['bytes after the end-of-central-directory record', trailingData, 'trailing_data'],
    ['a stored entry whose sizes disagree', lyingStored, 'archive_limits'],
    ['a ".." name', zipSlip, 'archive_unsafe_path'],
    ['an absolute name', () => buildZip([{ name: '/etc/evil3' }]), 'archive_unsafe_path'],
    ['a drive letter', () => buildZip([{ name: 'C:/evil4' }]), 'archive_unsafe_path'],
    ['a backslash', () => buildZip([{ name: '..\\..\\evil2.txt' }]), 'archive_unsafe_path'],
    ['something that is not a zip', () => Buffer.from('not a zip at all'), 'archive_invalid'],
    ['a truncated central directory', () => buildZip([{ name: 'a' }], { entryCount: 2 }), 'archive_invalid'],
  ])('classifies yauzl errors for %s', async (_, build, reason) => {
    const error = await yauzlError(build());
    expect(error).toBeInstanceOf(Error);
    const rejection = toZipRejection(error);
    expect(rejection).toMatchObject({ code: 'CONTENT_REJECTED', details: { reason } });
    expect(rejection.cause).toBe(error);
  });

  it('lets a symlink through yauzl (the guard has to catch it)', async () => {
    expect(await yauzlError(symlink())).toBeNull();
  });
});

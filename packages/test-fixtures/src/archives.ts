/**
 * Zips the archive tests of more than one package use: ordinary ones and the hostile cases
 * of the security guide (E-section: bombs, overlaps, slips, links).
 *
 * @module
 */
import { buildZip } from './zip-writer.js';

const MiB = 1024 * 1024;

/** Three small files in two folders. */
export const threeFiles = () =>
  buildZip([
    { name: 'readme.txt', data: 'hello, archive\n' },
    { name: 'data/numbers.csv', data: 'a,b\n1,2\n'.repeat(100) },
    { name: 'data/empty.txt', data: '', method: 'store' },
  ]);

let zeros: Buffer | undefined;
/** A real high-ratio entry: 50 MB of zeros deflate to about 50 KB (≈1000:1). */
export function ratioBomb(): Buffer {
  zeros ??= buildZip([{ name: 'zeros.bin', data: Buffer.alloc(50 * 1000 * 1000) }]);
  return zeros;
}

/** specs/security.md E2: a 113-byte stored entry of 5 bytes that declares 1 GiB. */
export const lyingStored = () => buildZip([{ name: 'a.txt', data: 'hello', method: 'store', size: 2 ** 30 }]);

/** A deflated 5-byte entry whose central directory (zip64 field) declares 1 TiB. */
export const lyingTebibyte = () => buildZip([{ name: 'a.txt', data: 'hello', size: 2 ** 40 }]);

/** specs/security.md E3: 1,000 central entries pointing at one local header (1 MiB of zeros each). */
export const overlapping = () =>
  buildZip([
    { name: 'bomb-0', data: Buffer.alloc(MiB) },
    ...Array.from({ length: 999 }, (_, i) => ({ name: `bomb-${i + 1}`, pointsTo: 0, size: MiB })),
  ]);

/** specs/security.md E4: a name that climbs out of the extraction root. */
export const zipSlip = () =>
  buildZip([
    { name: 'innocent.txt', data: 'hi' },
    { name: '../../evil.txt', data: 'pwned' },
  ]);

/** specs/security.md E5: `link` → `/etc/passwd`, mode 0120777. */
export const symlink = () =>
  buildZip([{ name: 'link', data: '/etc/passwd', method: 'store', unixMode: 0o120777 }]);

/** 10,001 empty entries: one over the default cap. */
export const tooManyEntries = () =>
  buildZip(Array.from({ length: 10_001 }, (_, i) => ({ name: `f${i}`, method: 'store' as const })));

/** A valid zip followed by bytes after its end-of-central-directory record. */
export const trailingData = () =>
  buildZip([{ name: 'a.txt', data: 'hello' }], { trailing: Buffer.from('<script>alert(1)</script>') });

/**
 * A valid zip, then a payload, then a copy of the zip's end record: the end record found from
 * the end of the file points back at a well-formed directory, with the payload hidden between.
 */
export const hiddenBeforeEndRecord = () => {
  const zip = buildZip([{ name: 'a.txt', data: 'hello' }]);
  const end = zip.subarray(zip.length - 22);
  return Buffer.concat([zip.subarray(0, zip.length - 22), Buffer.from('<script>alert(1)</script>'), end]);
};

/** SHA-256 of `bytes`, for asserting that an archive is stored byte for byte. */

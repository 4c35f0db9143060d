import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A 1×1 PNG: detected as image/png from its bytes, whatever its name says. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
  'base64',
);

/** Fills `dir` with a few files of each kind the example's rules know, and one they do not. */
export async function writeDemoFolder(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'acme-2026-03.txt'), 'INVOICE 2026-03\nAcme Ltd\nAmount due: 120.00 EUR\n');
  await writeFile(join(dir, 'globex.txt'), 'Invoice no. 42 from Globex. Amount due within 30 days.\n');
  await writeFile(join(dir, 'meeting.md'), '# Meeting notes\n\n- ship the examples\n');
  await writeFile(join(dir, 'holiday.png'), PNG);
  await writeFile(join(dir, 'scan.jpg'), PNG); // a PNG named .jpg: filed as what it is
  await writeFile(join(dir, 'setup.bin'), Buffer.from([0x00, 0x01, 0x02, 0x03]));
}

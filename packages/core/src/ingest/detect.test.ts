import { describe, expect, it } from 'vitest';
import { detectType } from './detect.js';

const text = (content: string) => Buffer.from(content, 'utf8');
/** A minimal Portable Executable header: `MZ`, `e_lfanew` → `PE\0\0`, an i386 machine. */
function portableExecutable(): Buffer {
  const pe = Buffer.alloc(512);
  pe.write('MZ', 0, 'latin1');
  pe.writeUInt32LE(0x80, 0x3c);
  pe.write('PE\0\0', 0x80, 'latin1');
  pe.writeUInt16LE(0x14c, 0x84);
  return pe;
}

describe('detectType', () => {
  it('records a .csv whose bytes are text as text/csv, without a mismatch (issue 8)', async () => {
    const found = await detectType(text('name,size\na.txt,3\n'), 'report.csv', 'text/csv');
    expect(found).toMatchObject({
      mime: 'text/csv',
      ext: 'csv',
      extensionMismatch: false,
      declaredMismatch: false,
      misleadingName: false,
    });
    // What browsers send for a CSV is no mismatch either.
    expect(await detectType(text('a,b\n'), 'x.csv', 'text/plain')).toMatchObject({ declaredMismatch: false });
  });

  it.each([
    ['data.json', '{"a":1}', 'application/json', 'json'],
    ['events.ndjson', '{"a":1}\n{"a":2}\n', 'application/x-ndjson', 'ndjson'],
    ['log.jsonl', '{"a":1}\n', 'application/x-ndjson', 'jsonl'],
    ['README.md', '# Title\n', 'text/markdown', 'md'],
    ['notes.markdown', '# Title\n', 'text/markdown', 'md'],
    ['page.html', '<!doctype html><p>hi</p>', 'text/html', 'html'],
    ['page.htm', '<p>hi</p>', 'text/html', 'html'],
    ['feed.xml', '<feed></feed>', 'application/xml', 'xml'],
    ['config.yaml', 'a: 1\n', 'application/yaml', 'yaml'],
    ['config.yml', 'a: 1\n', 'application/yaml', 'yaml'],
    ['table.tsv', 'a\tb\n1\t2\n', 'text/tab-separated-values', 'tsv'],
    ['meeting.ics', 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n', 'text/calendar', 'ics'],
    ['card.vcf', 'BEGIN:VCARD\r\nEND:VCARD\r\n', 'text/vcard', 'vcf'],
    ['style.css', 'p{color:red}', 'text/css', 'css'],
    ['app.js', 'console.log(1)', 'text/javascript', 'js'],
    ['subs.srt', '1\n00:00:01,000 --> 00:00:02,000\nHi\n', 'application/x-subrip', 'srt'],
    ['notes.txt', 'hello', 'text/plain', 'txt'],
    ['Makefile', 'all:\n', 'text/plain', 'txt'],
  ])('records text named %s as %s', async (name, content, mime, ext) => {
    const found = await detectType(text(content), name);
    expect(found).toMatchObject({ mime, ext, extensionMismatch: false, misleadingName: false });
  });

  it('decides between text types only: bytes that are not text are never CSV', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    expect(await detectType(png, 'data.csv')).toMatchObject({ mime: 'image/png', extensionMismatch: true });
    const latin1 = Buffer.from([0x61, 0x2c, 0xe9, 0x0a, 0x00]);
    expect(await detectType(latin1, 'data.csv')).toMatchObject({ mime: 'application/octet-stream' });
    expect(await detectType(text('{"a":1}'), 'data.txt')).toMatchObject({ mime: 'text/plain' });
  });

  it('keeps flagging a text file named as another known type', async () => {
    expect(await detectType(text('just words'), 'photo.png')).toMatchObject({
      mime: 'text/plain',
      extensionMismatch: true,
    });
    expect(await detectType(text('a,b'), 'data.csv', 'image/png')).toMatchObject({ declaredMismatch: true });
    expect(await detectType(text('a,b'), 'invoice.pdf.csv')).toMatchObject({ misleadingName: true });
    expect(await detectType(text('a,b'), 'export.txt.csv')).toMatchObject({ misleadingName: false });
  });

  it('does not flag a Windows program named .exe as a mismatch of its own type (issue 8)', async () => {
    const exe = portableExecutable();
    for (const declared of [
      null,
      'application/octet-stream',
      'application/x-msdownload',
      'application/x-msdos-program',
      'application/vnd.microsoft.portable-executable',
      'application/x-dosexec',
    ]) {
      const found = await detectType(exe, 'setup.exe', declared);
      expect(found, String(declared)).toMatchObject({
        mime: 'application/x-msdownload',
        ext: 'exe',
        extensionMismatch: false,
        declaredMismatch: false,
        misleadingName: false,
      });
    }
    expect(await detectType(exe, 'driver.dll')).toMatchObject({ extensionMismatch: false });
    // A program posing as something else is still flagged.
    expect(await detectType(exe, 'invoice.pdf')).toMatchObject({ extensionMismatch: true });
    expect(await detectType(exe, 'invoice.pdf.exe')).toMatchObject({ misleadingName: true });
    expect(await detectType(exe, 'setup.exe', 'image/png')).toMatchObject({ declaredMismatch: true });
  });

  it('stores detected types lower-case without parameters (issue 9)', async () => {
    // An MPEG-1 program stream: pack header 00 00 01 BA with the MPEG-1 marker bits (0010).
    const mpeg1 = Buffer.alloc(64);
    Buffer.from('000001ba2100010001800001', 'hex').copy(mpeg1);
    expect(await detectType(mpeg1, 'clip.mpg')).toMatchObject({
      mime: 'video/mpeg',
      extensionMismatch: false,
    });
    const page = Buffer.alloc(64);
    page.write('OggS', 0, 'latin1');
    page[5] = 2;
    page[26] = 1;
    page[27] = 19;
    page.write('OpusHead', 28, 'latin1');
    expect(await detectType(page, 'tone.opus')).toMatchObject({
      mime: 'audio/ogg',
      extensionMismatch: false,
    });
  });

  it('trusts a TIFF header whose directory lies past the head (issue 9)', async () => {
    const head = Buffer.alloc(1024);
    head.write('II*\0', 0, 'latin1');
    head.writeUInt32LE(179_154, 4);
    expect(await detectType(head, 'scan.tif')).toMatchObject({
      mime: 'image/tiff',
      extensionMismatch: false,
    });
  });

  it('does not call an Amiga 8SVX AIFF', async () => {
    const svx = Buffer.alloc(64);
    svx.write('FORM', 0, 'latin1');
    svx.writeUInt32BE(56, 4);
    svx.write('8SVXVHDR', 8, 'latin1');
    expect(await detectType(svx, 'a.8svx')).toMatchObject({ mime: 'application/octet-stream' });
  });

  it('detects text in legacy encodings and UTF-16 without a BOM (issue 9)', async () => {
    const cp1251 = Buffer.from([0xcf, 0xf0, 0xe8, 0xe2, 0xe5, 0xf2, 0x2c, 0x20, 0xec, 0xe8, 0xf0, 0x0a]);
    expect(await detectType(cp1251, 'notes.txt')).toMatchObject({
      mime: 'text/plain',
      extensionMismatch: false,
    });
    const wide = Buffer.from('a,b\n1,2\n', 'utf16le');
    expect(await detectType(wide, 'table.csv')).toMatchObject({ mime: 'text/csv' });
  });
});

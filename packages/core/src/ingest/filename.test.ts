import { describe, expect, it } from 'vitest';
import { detectType } from './detect.js';
import { hasInvisibleCharacters, toDisplayName } from './filename.js';

const PDF_HEAD = Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n');
const EXE_HEAD = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(126)]);

describe('toDisplayName', () => {
  it('removes zero-width and other format characters, so the name reads as what it is (issue 7)', () => {
    const raw = 'pay\u200Bpal\u2060.pdf\u200B.exe';
    expect(toDisplayName(raw)).toBe('paypal.pdf.exe');
    expect(hasInvisibleCharacters(raw)).toBe(true);
    expect(toDisplayName('\uFEFFre\u00ADport\u200C\u200D.txt')).toBe('report.txt');
    expect(toDisplayName('evil\u202Efdp.exe')).toBe('evilfdp.exe');
    expect(toDisplayName('tab\there\u2028.txt')).toBe('tabhere.txt');
  });

  it('keeps visible names whole, emoji sequences joined by a zero-width joiner included', () => {
    expect(toDisplayName('Überblick 2026 – final.pdf')).toBe('Überblick 2026 – final.pdf');
    expect(toDisplayName('👩‍💻 notes.md')).toBe('👩‍💻 notes.md');
    expect(hasInvisibleCharacters('👩‍💻 notes.md')).toBe(false);
  });

  it('trims leading dashes and dots and trailing dots and spaces (security spec H4)', () => {
    expect(toDisplayName('-rf')).toBe('rf');
    expect(toDisplayName('.htaccess')).toBe('htaccess');
    expect(toDisplayName('--.--help')).toBe('help');
    expect(toDisplayName('report.pdf. . ')).toBe('report.pdf');
    // Reserved device names are harmless as display names: storage paths are generated.
    expect(toDisplayName('CON')).toBe('CON');
    expect(() => toDisplayName('. . .')).toThrow(expect.objectContaining({ code: 'INVALID_FILENAME' }));
  });

  it('refuses a name made only of invisible characters', () => {
    expect(() => toDisplayName('\u200B\u2060\u200B')).toThrow(
      expect.objectContaining({ code: 'INVALID_FILENAME' }),
    );
  });
});

describe('detectType name checks', () => {
  it('flags a program that shows a document extension inside its name', async () => {
    const detection = await detectType(EXE_HEAD, 'paypal.pdf.exe', null, 'pay\u200Bpal\u2060.pdf\u200B.exe');
    expect(detection).toMatchObject({
      ext: 'exe',
      extensionMismatch: false,
      misleadingName: true,
      hiddenCharacters: true,
    });
  });

  it('flags the real extension once invisible characters no longer hide it', async () => {
    const detection = await detectType(PDF_HEAD, toDisplayName('report.ex\u200Be'), null, 'report.ex\u200Be');
    expect(detection).toMatchObject({ ext: 'pdf', nameExt: 'exe', extensionMismatch: true });
  });

  it('does not flag honest compound names', async () => {
    for (const name of ['report.v2.pdf', 'backup.pdf.zip', 'notes.txt.bak', 'jquery.min.js']) {
      const head = name.endsWith('.pdf') ? PDF_HEAD : Buffer.from('plain text\n');
      const detection = await detectType(head, name);
      expect(detection.misleadingName, name).toBe(false);
      expect(detection.hiddenCharacters, name).toBe(false);
    }
  });
});

import { posix } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderDestination, templateProblem } from './template.js';
import { testSubject } from './test-subject.js';

const subject = testSubject({
  category: 'invoices',
  metadata: { vendor: { name: 'ACME: Ltd/EU' }, tags: ['a', 'b'] },
});
const render = (template: string, s = subject) =>
  renderDestination(template, s, { now: () => Date.UTC(2025, 0, 2) });

describe('renderDestination', () => {
  it('fills every placeholder', () => {
    expect(render('{category}/{created:YYYY}/{created:MM}/{created:DD}/{name}{ext}').path).toBe(
      'invoices/2024/03/05/ACME invoice.pdf',
    );
    expect(render('{created:YYYY-MM-DD}_{now:YYYY}/{mime}/{size}/{id}/{source}/{uploadedBy}').path).toBe(
      '2024-03-05_2025/application-pdf/120000/file-1/upload/user-1',
    );
    expect(render('{sha256}').path).toBe('a'.repeat(64));
    expect(render('{metadata.vendor.name}/{metadata.tags}').path).toBe('ACME- Ltd-EU/a,b');
    expect(render('{{literal}}/{name}').path).toBe('{literal}/ACME invoice');
  });

  it("keeps the name's own extension when it fits the detected type, and the detected one otherwise", () => {
    const jpeg = testSubject({ name: 'Photo.JPEG', ext: 'jpg', nameExt: 'JPEG', mime: 'image/jpeg' });
    expect(render('{name}{ext}', jpeg).path).toBe('Photo.JPEG');
    const disguised = testSubject({ name: 'invoice.txt', ext: 'pdf' });
    expect(render('{name}{ext}', disguised).path).toBe('invoice.pdf');
    // A line break in the name (legal on POSIX) does not hide its extension.
    const broken = testSubject({ name: 'new\nline invoice.pdf', ext: 'pdf', nameExt: 'pdf' });
    expect(render('{name}{ext}', broken).path).toBe('new-line invoice.pdf');
  });

  it('renders empty placeholders as none, and {ext} as nothing', () => {
    const bare = testSubject({ name: 'README', ext: '', uploadedBy: null, category: null });
    expect(render('{category}/{uploadedBy}/{metadata.nope}/{name}{ext}', bare).path).toBe(
      'none/none/none/README',
    );
  });

  it('replaces illegal characters inside values and neutralises dangerous paths', () => {
    const nasty = testSubject({ name: '../../etc/passwd', ext: '', category: '..' });
    expect(render('{category}/{name}{ext}', nasty).path).toBe('--/..-..-etc-passwd');
    expect(render('/abs/./x/../{name}', testSubject({ name: 'a:b*c?.txt' })).path).toBe('abs/x/--/a-b-c-');
    expect(render('C:\\Users\\{name}').path).toBe('C-/Users/ACME invoice');
    expect(render('{name}', testSubject({ name: 'nul.txt' })).path).toBe('_nul');
    for (const device of ['COM¹', 'lpt³', 'CONIN$', 'conout$']) {
      expect(render('{name}/x', testSubject({ name: device })).path).toBe(`_${device}/x`);
    }
    const long = render('{name}{ext}', testSubject({ name: `${'é'.repeat(300)}.pdf` })).path;
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(255);
    expect(long.endsWith('.pdf')).toBe(true);
  });

  it('falls back to unsorted/{name}{ext} with a warning when the template cannot render', () => {
    for (const template of ['{nope}/{name}', 'a/{name', 'a}/{name}', '{created:}', '///']) {
      const out = render(template);
      expect(out.path).toBe('unsorted/ACME invoice.pdf');
      expect(out.warnings[0]).toMatch(/cannot render/);
    }
    expect(templateProblem('{category}/{name}{ext}')).toBeNull();
  });

  it('never escapes the root, whatever the names and metadata (property)', () => {
    const hostile = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc.constantFrom('..', '.', '/', '\\', '../..', '\0', 'C:', '//', ' ', '\u202e', 'con', '…/..'),
    );
    const template = fc.constantFrom(
      '{name}{ext}',
      '{category}/{name}{ext}',
      '{metadata.x}/{metadata.y}/{name}',
      '/{metadata.x}/../{name}',
      '{metadata.x}{metadata.y}',
      '{source}/{uploadedBy}/{created:YYYY}/{name}',
    );
    fc.assert(
      fc.property(template, hostile, hostile, hostile, hostile, (tpl, name, category, x, y) => {
        const s = testSubject({ name, category, source: x, uploadedBy: y, metadata: { x, y } });
        const { path } = render(tpl, s);
        const root = '/srv/sorted';
        const joined = posix.normalize(posix.join(root, path));
        expect(joined.startsWith(`${root}/`)).toBe(true);
        expect(posix.isAbsolute(path)).toBe(false);
        for (const segment of path.split('/')) {
          expect(['', '.', '..']).not.toContain(segment);
          expect(segment).not.toMatch(/[\\\0]/);
          expect(Buffer.byteLength(segment)).toBeLessThanOrEqual(255);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

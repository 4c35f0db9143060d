import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { planFolder, rulesNeedText, scanFolder, type TextExtractor } from '../src/sorter/folder/index.js';
import { parseRules } from '../src/sorter/index.js';
import { pdfBytes, pngBytes, tempFolder } from './support/folder-tree.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

const INVOICE_RULE = `
id: invoices
conditions:
  - { field: mime, op: in, value: [application/pdf] }
  - { field: text, algorithm: any, value: 'invoice "amount due"' }
destination: "invoices/{name}{ext}"
`;

async function folder(): Promise<string> {
  const dir = await tempFolder();
  dirs.push(dir);
  await writeFile(join(dir, 'bill.pdf'), pdfBytes('raw pdf bytes'));
  await writeFile(join(dir, 'notes.txt'), 'invoice minutes\n');
  await writeFile(join(dir, 'photo.png'), pngBytes(1));
  return dir;
}

/** The scan as the CLI runs it: an extractor only when the rules read text. */
const scanFor = (dir: string, rules: ReturnType<typeof parseRules>, extractText: TextExtractor) =>
  scanFolder(dir, rulesNeedText(rules) ? { extractText } : {});

describe('text extraction in the folder sorter', () => {
  it('rulesNeedText: only enabled rules with a condition on text, however nested', () => {
    expect(rulesNeedText(parseRules(INVOICE_RULE))).toBe(true);
    expect(
      rulesNeedText(parseRules('{ id: a, conditions: [{ field: mime, op: eq, value: application/pdf }] }')),
    ).toBe(false);
    expect(
      rulesNeedText(
        parseRules(
          '{ id: a, conditions: [{ not: { match: any, conditions: [{ field: text, op: contains, value: x }] } }] }',
        ),
      ),
    ).toBe(true);
    expect(
      rulesNeedText(
        parseRules('{ id: a, enabled: false, conditions: [{ algorithm: any, value: invoice }] }'),
      ),
    ).toBe(false);
  });

  it('calls the extractor only when a rule needs text, and never for plain-text files', async () => {
    const dir = await folder();
    const extractText = vi.fn<TextExtractor>(async (file) =>
      file.mime === 'application/pdf' ? 'Invoice 7. Amount due: 40 EUR' : '',
    );

    const noText = parseRules('{ id: pdfs, conditions: [{ field: mime, op: eq, value: application/pdf }] }');
    const plain = await scanFor(dir, noText, extractText);
    expect(extractText).not.toHaveBeenCalled();
    expect(plain.find((f) => f.path === 'bill.pdf')?.subject.text).toBe('');

    const rules = parseRules(INVOICE_RULE);
    const files = await scanFor(dir, rules, extractText);
    const asked = extractText.mock.calls.map(([file]) => file);
    expect(asked.map((f) => f.mime).sort()).toEqual(['application/pdf', 'image/png']);
    expect(asked.find((f) => f.mime === 'application/pdf')).toMatchObject({ path: join(dir, 'bill.pdf') });
    const byPath = Object.fromEntries(files.map((f) => [f.path, f.subject.text]));
    expect(byPath).toEqual({
      'bill.pdf': 'Invoice 7. Amount due: 40 EUR',
      'notes.txt': 'invoice minutes\n',
      'photo.png': '',
    });
    const plan = await planFolder(dir, files, rules);
    expect(plan.items.find((i) => i.id === 'bill.pdf')).toMatchObject({ to: 'invoices/bill.pdf' });
    expect(plan.warnings).toEqual([]);
  });

  it('an extractor that fails leaves the text empty and warns in the plan, without failing the scan', async () => {
    const dir = await folder();
    const rules = parseRules(INVOICE_RULE);
    const files = await scanFolder(dir, {
      extractText: async (file) => {
        if (file.mime === 'application/pdf') throw new Error('[fileforge:pdf] Parsing did not finish');
        return '';
      },
    });
    expect(files.find((f) => f.path === 'bill.pdf')?.subject.text).toBe('');
    const plan = await planFolder(dir, files, rules);
    expect(plan.items.find((i) => i.id === 'bill.pdf')).toMatchObject({ action: 'none' });
    expect(plan.warnings).toEqual([
      expect.stringMatching(/^bill\.pdf: no text extracted \(.*Parsing did not finish\)/),
    ]);
  });

  it('a scan aborted by its caller rejects instead of warning', async () => {
    const dir = await folder();
    const controller = new AbortController();
    const scan = scanFolder(dir, {
      signal: controller.signal,
      concurrency: 1,
      extractText: async () => {
        controller.abort(new Error('stopped'));
        throw new Error('aborted extraction');
      },
    });
    await expect(scan).rejects.toThrow('stopped');
  });
});

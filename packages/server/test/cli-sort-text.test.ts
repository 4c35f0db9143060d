import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writePdf } from '@fileforge/test-fixtures/pdf';
import { afterEach, describe, expect, it } from 'vitest';
import { killHard, spawnCli } from './support/child.js';
import { makeTempDir, stopTestServers } from './support/server.js';

afterEach(stopTestServers);

/** The README's example rule. */
const README_RULE = `
id: invoices
category: invoices
conditions:
  - { field: mime, op: in, value: [application/pdf] }
  - { field: text, algorithm: any, value: 'invoice "amount due"' }
destination: "invoices/{created:YYYY}/{created:MM}/{name}{ext}"
`;

describe('fileforge sort: text rules on PDFs', () => {
  it('matches the text pdf.js extracts, warns about an unreadable PDF, and exits by itself', {
    timeout: 120_000,
  }, async () => {
    const dir = await makeTempDir('fileforge-sort-text-');
    const rules = join(await makeTempDir('fileforge-rules-'), 'r.yaml');
    await writeFile(rules, README_RULE);
    await writeFile(
      join(dir, 'acme.pdf'),
      writePdf({ pages: ['ACME Ltd', 'Amount due: 120.00 EUR'], compress: true }),
    );
    await writeFile(join(dir, 'brochure.pdf'), writePdf({ pages: ['Spring catalogue 2026'] }));
    await writeFile(join(dir, 'broken.pdf'), Buffer.from('%PDF-1.7\nnot a real document\n%%EOF\n'));

    const cli = spawnCli(['sort', dir, '--rules', rules, '--dry-run', '--json'], {
      XDG_STATE_HOME: await makeTempDir('fileforge-state-'),
    });
    // Idle pdf.js workers must not keep the command alive.
    const code = await Promise.race([
      cli.exited,
      new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 60_000).unref()),
    ]);
    if (code === 'timeout') await killHard(cli);
    const { stdout, stderr } = cli.output();
    expect(code, stderr).toBe(0);
    const plan = JSON.parse(stdout) as {
      items: Array<{ from: string; to: string | null; ruleId: string | null; action: string }>;
      warnings: string[];
    };
    const byFrom = Object.fromEntries(plan.items.map((i) => [i.from, i]));
    expect(byFrom['acme.pdf']).toMatchObject({ ruleId: 'invoices' });
    expect(byFrom['acme.pdf']?.to).toMatch(/^invoices\/\d{4}\/\d{2}\/acme\.pdf$/);
    expect(byFrom['brochure.pdf']).toMatchObject({ to: null, ruleId: null, action: 'none' });
    expect(byFrom['broken.pdf']).toMatchObject({ to: null, action: 'none' });
    expect(plan.warnings).toEqual([expect.stringMatching(/^broken\.pdf: no text extracted \(/)]);
  });
});

import { describe, expect, it } from 'vitest';
import { decide } from './decide.js';
import { parseRules } from './parse-rules.js';
import { testSubject } from './test-subject.js';

const subject = testSubject();

describe('decide', () => {
  it('explains the matching rule, with the words that matched', async () => {
    const rules = parseRules(`
id: invoices
category: invoices
conditions:
  - { field: mime, op: in, value: [application/pdf] }
  - { field: text, algorithm: any, value: 'invoice "amount due"' }
destination: "invoices/{created:YYYY}/{name}{ext}"
`);
    const decision = await decide(subject, rules);
    expect(decision).toMatchObject({
      ruleId: 'invoices',
      category: 'invoices',
      destination: 'invoices/2024/ACME invoice.pdf',
      onConflict: 'rename_new',
      decidedBy: { kind: 'rule', ruleId: 'invoices' },
      warnings: [],
    });
    expect(decision.explanation.summary).toBe(
      'Rule "invoices" matched: mime in [application/pdf]; text any "invoice "amount due"" matched words invoice, amount due.',
    );
    expect(decision.explanation.rules[0]?.conditions[1]).toEqual({
      description: 'text any "invoice "amount due""',
      matched: true,
      words: ['invoice', 'amount due'],
    });
  });

  it('runs by priority, first match wins, disabled rules are skipped', async () => {
    const rules = parseRules(`
- { id: low, category: low, destination: "low/{name}{ext}" }
- { id: off, category: off, priority: 100, enabled: false }
- { id: high, category: high, priority: 5, destination: "high/{name}{ext}" }
- { id: miss, category: miss, priority: 9, conditions: [{ field: ext, op: eq, value: png }] }
`);
    const decision = await decide(subject, rules);
    expect(decision.ruleId).toBe('high');
    expect(decision.explanation.rules.map((r) => [r.ruleId, r.matched])).toEqual([
      ['miss', false],
      ['high', true],
    ]);
  });

  it('equal priorities keep list order', async () => {
    const rules = parseRules('[{ id: first, category: a }, { id: second, category: b }]');
    expect((await decide(subject, rules)).category).toBe('a');
  });

  it('continue lets later rules apply: first category, last destination', async () => {
    const rules = parseRules(`
- { id: label, category: bills, priority: 3, continue: true }
- { id: route, priority: 2, continue: true, destination: "by-vendor/{name}{ext}" }
- { id: refine, category: ignored, priority: 1, destination: "{category}/{created:YYYY}/{name}{ext}", onConflict: skip }
- { id: never, priority: 0, destination: "never/{name}" }
`);
    const decision = await decide(subject, rules);
    expect(decision).toMatchObject({
      category: 'bills',
      destination: 'bills/2024/ACME invoice.pdf',
      ruleId: 'refine',
      onConflict: 'skip',
      decidedBy: { kind: 'rule', ruleId: 'label' },
    });
    expect(decision.explanation.rules.map((r) => r.ruleId)).toEqual(['label', 'route', 'refine']);
  });

  it('a rule may only categorise; no match leaves destination null', async () => {
    const categorise = await decide(subject, parseRules('{ id: tag, category: finance }'));
    expect(categorise).toMatchObject({ category: 'finance', destination: null, ruleId: 'tag' });
    const none = await decide(
      subject,
      parseRules('{ id: png, conditions: [{ field: ext, op: eq, value: png }] }'),
    );
    expect(none).toMatchObject({ category: null, destination: null, ruleId: null, decidedBy: null });
    expect(none.explanation.summary).toBe('No rule matched (1 tried).');
  });

  it('an auto-only rule is decided by the model, and only above its threshold', async () => {
    const rules = parseRules(
      '{ id: learned, category: invoices, conditions: [{ algorithm: auto }], destination: "{category}/{name}{ext}" }',
    );
    let asked = 0;
    const classify = (score: number) => () => {
      asked++;
      return { category: 'invoices', score, threshold: 0.8, decided: score >= 0.8, terms: ['invoice'] };
    };
    const sure = await decide(subject, rules, { classify: classify(0.93) });
    expect(sure).toMatchObject({
      category: 'invoices',
      destination: 'invoices/ACME invoice.pdf',
      decidedBy: { kind: 'model', ruleId: 'learned', score: 0.93, threshold: 0.8 },
      explanation: { model: { category: 'invoices', score: 0.93, threshold: 0.8, terms: ['invoice'] } },
    });
    const unsure = await decide(subject, rules, { classify: classify(0.5) });
    expect(unsure).toMatchObject({ category: null, destination: null });
    expect(unsure.explanation.summary).toMatch(/below threshold: needs review/);
    expect(asked).toBe(2);
    const noAuto = await decide(subject, parseRules('{ id: plain }'), { classify: classify(0.9) });
    expect(noAuto.explanation.model).toBeUndefined();
    expect(asked).toBe(2);
  });

  it('a runaway regex or a failing classifier only warns', async () => {
    const rules = parseRules(`
- { id: slow, conditions: [{ algorithm: regex, value: "(a+)+$" }], destination: slow }
- { id: learned, category: x, conditions: [{ algorithm: auto }] }
- { id: fallback, priority: -1, destination: "other/{name}{ext}" }
`);
    const decision = await decide(testSubject({ text: `${'a'.repeat(40)}!` }), rules, {
      regexTimeoutMs: 10,
      classify: () => {
        throw new Error('model not trained');
      },
    });
    expect(decision.ruleId).toBe('fallback');
    expect(decision.warnings).toHaveLength(3);
    expect(decision.warnings.join('\n')).toMatch(
      /gave up[\s\S]*model not trained|model not trained[\s\S]*gave up/,
    );
  });

  it('a template that cannot render falls back with a warning', async () => {
    const rule = { ...parseRules('{ id: r }')[0]!, destination: '{oops}/{name}' };
    const decision = await decide(subject, [rule]);
    expect(decision.destination).toBe('unsorted/ACME invoice.pdf');
    expect(decision.warnings[0]).toMatch(/Unknown placeholder \{oops\}/);
  });
});

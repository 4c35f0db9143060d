import { describe, expect, it } from 'vitest';
import { matchesFilter } from './condition.js';
import { parseWorkflow } from './definition.js';
import { isTruthy, renderValue } from './expressions.js';
import { defineWorkflow } from './workflow-builder.js';

const YAML = `
name: contracts-to-docusign
on:
  event: file.classified
  filter: { field: category, op: eq, value: contracts }
steps:
  thumbnail: { uses: image.thumbnail, with: { width: 256, format: webp } }
  ocr-text:  { uses: process }
  sign:
    uses: connector.docusign.sendEnvelope
    needs: [ocr-text]
    with: { signerEmail: "{{ file.metadata.signer }}" }
    retry: { maxRetries: 5, retryDelayMs: 2000 }
    timeoutMs: 60000
  notify:
    uses: connector.slack.postMessage
    needs: [sign]
    with: { channel: C123, text: "Sent {{ file.name }} for signature" }
    onError: continue
`;

describe('parseWorkflow', () => {
  it("reads the spec's example with defaults filled in", () => {
    const wf = parseWorkflow(YAML);
    expect(wf.enabled).toBe(true);
    expect(wf.steps.sign).toMatchObject({
      retry: { maxRetries: 5, retryDelayMs: 2000 },
      timeoutMs: 60000,
      onError: 'fail',
    });
    expect(wf.steps.notify?.onError).toBe('continue');
  });

  it('refuses a bad definition with VALIDATION_FAILED and field paths', () => {
    expect(() =>
      parseWorkflow({
        name: 'x',
        on: { schedule: 'every day' },
        steps: { a: { uses: 'p', onError: 'explode', extra: 1 } },
      }),
    ).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    try {
      parseWorkflow({
        name: 'x',
        on: { schedule: 'every day' },
        steps: { a: { uses: 'p', onError: 'explode' } },
      });
    } catch (error) {
      const paths = ((error as { details: { issues: { path: string }[] } }).details.issues ?? []).map(
        (i) => i.path,
      );
      expect(paths).toEqual(['on.schedule', 'steps.a.onError']);
    }
    expect(() => parseWorkflow('name: [unclosed')).toThrow(/Not valid YAML or JSON/);
    expect(() => parseWorkflow({ name: 'none', on: { manual: true }, steps: {} })).toThrow(
      /at least one step/,
    );
  });

  it('accepts every trigger kind, alone or as a list', () => {
    const wf = parseWorkflow({
      name: 'all',
      on: [
        { event: 'file.*' },
        { schedule: '*/5 * * * *', timezone: 'Europe/Paris' },
        { manual: true },
        { watch: { folder: '/in' } },
      ],
      steps: { a: { uses: 'process' } },
    });
    expect(wf.on).toHaveLength(4);
  });

  it('builds the same JSON with the typed builder', () => {
    const built = defineWorkflow('contracts-to-docusign')
      .on({ event: 'file.classified', filter: { field: 'category', op: 'eq', value: 'contracts' } })
      .step('thumbnail', 'image.thumbnail', { with: { width: 256, format: 'webp' } })
      .step('ocr-text', 'process')
      .step('sign', 'connector.docusign.sendEnvelope', {
        needs: ['ocr-text'],
        with: { signerEmail: '{{ file.metadata.signer }}' },
        retry: { maxRetries: 5, retryDelayMs: 2000 },
        timeoutMs: 60000,
      })
      .step('notify', 'connector.slack.postMessage', {
        needs: ['sign'],
        with: { channel: 'C123', text: 'Sent {{ file.name }} for signature' },
        onError: 'continue',
      })
      .build();
    expect(built).toEqual(parseWorkflow(YAML));
  });
});

describe('filters', () => {
  const subject = { category: 'contracts', name: 'Deal.PDF', size: 2048, metadata: { pages: 3 } };
  it('compares fields with eq, ne, in, glob, gt, lt and combines them', () => {
    expect(matchesFilter({ field: 'category', op: 'eq', value: 'contracts' }, subject)).toBe(true);
    expect(matchesFilter({ field: 'category', op: 'ne', value: 'contracts' }, subject)).toBe(false);
    expect(matchesFilter({ field: 'category', op: 'in', value: ['invoices', 'contracts'] }, subject)).toBe(
      true,
    );
    expect(matchesFilter({ field: 'name', op: 'glob', value: '*.pdf' }, subject)).toBe(true);
    expect(matchesFilter({ field: 'metadata.pages', op: 'gt', value: 2 }, subject)).toBe(true);
    expect(matchesFilter({ field: 'size', op: 'lt', value: 1000 }, subject)).toBe(false);
    expect(matchesFilter({ field: 'missing.path', op: 'eq', value: 'x' }, subject)).toBe(false);
    expect(
      matchesFilter(
        [
          {
            any: [
              { field: 'size', op: 'lt', value: 10 },
              { field: 'name', op: 'glob', value: 'deal*' },
            ],
          },
          { not: { field: 'category', op: 'eq', value: 'cvs' } },
        ],
        subject,
      ),
    ).toBe(true);
  });
});

describe('expressions', () => {
  const scope = {
    file: { name: 'a.pdf', metadata: { signer: 'x@y.z', pages: 3 } },
    steps: { thumb: { output: { derivatives: ['t.webp'] }, status: 'completed' } },
    input: { width: 256 },
    run: { id: 'r1', workflowId: 'w1', depth: 0 },
    trigger: { kind: 'manual' },
  };
  it('renders paths without evaluating anything; a lone expression keeps its type', () => {
    expect(
      renderValue(
        {
          text: 'Sent {{ file.name }} ({{ file.metadata.pages }} pages) in run {{run.id}}',
          width: '{{ input.width }}',
          list: ['{{ steps.thumb.output.derivatives }}', '{{ nope.nothing }}', '{{ file.constructor }}'],
        },
        scope,
      ),
    ).toEqual({ text: 'Sent a.pdf (3 pages) in run r1', width: 256, list: [['t.webp'], '', ''] });
  });
  it('reads falsy values as skip for `if`', () => {
    expect([false, 0, '', 'false', 'no', null, undefined].map(isTruthy)).toEqual(Array(7).fill(false));
    expect([true, 1, 'yes', {}].map(isTruthy)).toEqual([true, true, true, true]);
  });
});

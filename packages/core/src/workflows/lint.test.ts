import { describe, expect, it } from 'vitest';
import { lintWorkflow } from './lint.js';

const known = new Set(['process', 'notify', 'custom.step']);
const lint = (definition: unknown) => lintWorkflow(definition, { stepKinds: (n) => known.has(n) });
const rules = (definition: unknown) => lint(definition).problems.map((p) => [p.rule, p.path]);

describe('lintWorkflow', () => {
  it('passes a sound definition', () => {
    const result = lint({
      name: 'ok',
      on: { event: 'file.processed' },
      steps: {
        a: { uses: 'process' },
        b: { uses: 'notify', needs: ['a'], with: { text: '{{ file.name }}: {{ steps.a.output.status }}' } },
      },
    });
    expect(result).toMatchObject({ ok: true, problems: [] });
    expect(result.definition?.steps.b?.onError).toBe('fail');
  });

  it('takes a string without "{{" as plain text, however many "}}" it holds (a JSON body)', () => {
    const result = lint({
      name: 'json',
      on: { manual: true },
      steps: { a: { uses: 'notify', with: { body: '{"order":{"id":1}}', list: ['}}'] } } },
    });
    expect(result).toMatchObject({ ok: true, problems: [] });
    expect(
      rules({
        name: 'x',
        on: { manual: true },
        steps: { a: { uses: 'notify', with: { t: '{{ file.name }} }}' } } },
      }),
    ).toEqual([['invalid-template', 'steps.a.with.t']]);
  });

  it('names a cycle that closes on its first step, even where the steps branch', () => {
    const result = lint({
      name: 'branching-loop',
      on: { manual: true },
      steps: {
        a: { uses: 'process', needs: ['b'] },
        b: { uses: 'process', needs: ['a', 'c'] },
        c: { uses: 'process', needs: ['b'] },
      },
    });
    const [cycle] = result.problems.filter((p) => p.rule === 'cycle');
    expect(cycle?.message).toContain('"a" → "b" → "a"');
    expect(cycle?.message).not.toContain('"c" → "b"');
  });

  it('flags a cycle, naming its steps in order, and the steps that depend on it as unreachable', () => {
    const result = lint({
      name: 'loop',
      on: { manual: true },
      steps: {
        a: { uses: 'process', needs: ['c'] },
        b: { uses: 'process', needs: ['a'] },
        c: { uses: 'process', needs: ['b'] },
        d: { uses: 'notify', needs: ['c'] },
        e: { uses: 'notify' },
      },
    });
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([
      { rule: 'cycle', path: 'steps.a.needs', message: expect.stringContaining('"a" → "c" → "b" → "a"') },
      { rule: 'unreachable-step', path: 'steps.d', message: expect.any(String) },
    ]);
  });

  it('flags a step needing itself as a cycle', () => {
    expect(
      rules({ name: 'self', on: { manual: true }, steps: { a: { uses: 'process', needs: ['a'] } } }),
    ).toEqual([['cycle', 'steps.a.needs']]);
  });

  it('flags an undefined step with its path, and what depends on the step that needs it', () => {
    expect(
      rules({
        name: 'missing',
        on: { manual: true },
        steps: {
          a: { uses: 'process', needs: ['ghost'] },
          b: { uses: 'notify', needs: ['a'] },
        },
      }),
    ).toEqual([
      ['undefined-step', 'steps.a.needs[0]'],
      ['unreachable-step', 'steps.b'],
    ]);
  });

  it('flags a need named like an object property (constructor, toString) as an undefined step', () => {
    expect(
      rules({
        name: 'proto',
        on: { manual: true },
        steps: { a: { uses: 'process', needs: ['constructor', 'toString'] } },
      }),
    ).toEqual([
      ['undefined-step', 'steps.a.needs[0]'],
      ['undefined-step', 'steps.a.needs[1]'],
    ]);
  });

  it('tells a missing processor operation from an unknown step kind', () => {
    expect(
      rules({
        name: 'kinds',
        on: { manual: true },
        steps: { t: { uses: 'image.thumbnail' }, x: { uses: 'banana.split' }, y: { uses: 'teleport' } },
      }),
    ).toEqual([
      ['missing-processor', 'steps.t.uses'],
      ['unknown-step-kind', 'steps.x.uses'],
      ['unknown-step-kind', 'steps.y.uses'],
    ]);
  });

  it('flags unreadable templates, unknown roots and steps read before they ran', () => {
    const result = lint({
      name: 'templates',
      on: { manual: true },
      steps: {
        a: { uses: 'process' },
        b: { uses: 'notify', with: { text: '{{ steps.a.output.x }}' } },
        c: { uses: 'notify', needs: ['a'], with: { text: 'hi {{ file.name', list: ['{{ env.SECRET }}'] } },
        d: {
          uses: 'notify',
          needs: ['a'],
          with: { text: '{{ file.name | upper }}' },
          if: '{{ steps.zz.output }}',
        },
      },
    });
    expect(result.problems.map((p) => [p.rule, p.path])).toEqual([
      ['invalid-template', 'steps.b.with.text'],
      ['invalid-template', 'steps.c.with.text'],
      ['invalid-template', 'steps.c.with.list[0]'],
      ['invalid-template', 'steps.d.with.text'],
      ['invalid-template', 'steps.d.if'],
    ]);
    expect(result.problems[0]?.message).toContain('not among the needs of "b"');
  });

  it('reports schema problems with their field paths, and nothing else', () => {
    const result = lint(
      'name: bad\non: { event: upload }\nsteps:\n  a: { uses: process, retry: { maxRetries: -1 } }\n',
    );
    expect(result.ok).toBe(false);
    expect(result.problems.map((p) => [p.rule, p.path])).toEqual([
      ['schema', 'on.event'],
      ['schema', 'steps.a.retry.maxRetries'],
    ]);
  });
});

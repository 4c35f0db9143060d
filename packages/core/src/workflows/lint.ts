/**
 * The workflow linter: what is wrong with a definition before it runs, each problem with a
 * stable rule id, a sentence and the field path. Used by the SDK (`forge.workflows.lint`,
 * and `define`/`update`, which refuse a definition with problems), the CLI and the server.
 *
 * Rule ids: `schema`, `undefined-step`, `cycle`, `unknown-step-kind`, `missing-processor`,
 * `invalid-template`, `unreachable-step`.
 *
 * @module
 */
import { ancestorsOf, dependentsOf, findCycles } from './dag.js';
import { checkWorkflow, type WorkflowDefinition } from './definition.js';
import { EXPRESSION_ROOTS, parseTemplate, templateStrings } from './expressions.js';

/** The stable rule ids of {@link lintWorkflow}. */
export type LintRule =
  | 'schema'
  | 'undefined-step'
  | 'cycle'
  | 'unknown-step-kind'
  | 'missing-processor'
  | 'invalid-template'
  | 'unreachable-step';

/** One problem: which rule, what, and where (`steps.sign.needs[0]`). */
export interface LintProblem {
  rule: LintRule;
  message: string;
  path: string;
}

/** What {@link lintWorkflow} reports. */
export interface LintResult {
  ok: boolean;
  problems: LintProblem[];
  /** The validated definition, when the schema check passed. */
  definition?: WorkflowDefinition;
}

/** Options for {@link lintWorkflow}. */
export interface LintOptions {
  /** Whether a step kind of that name is registered. @default every kind is known */
  stepKinds?: (name: string) => boolean;
  /**
   * Operation families that processor packages provide: a `uses` in one of them that is not
   * registered is `missing-processor` (install or register the package's operations) rather
   * than `unknown-step-kind`. @default ['image', 'media', 'document']
   */
  processorFamilies?: readonly string[];
}

/** The operation families of `@fileforge/processors`. */
export const PROCESSOR_FAMILIES = ['image', 'media', 'document'] as const;

/**
 * Lints a workflow definition (text, a parsed value, or a validated definition).
 *
 * - `schema`: not a valid definition (each zod issue with its path); nothing else is checked then.
 * - `undefined-step`: `needs` names a step the workflow does not have.
 * - `cycle`: steps that need each other, named in order (`a → b → a`).
 * - `unknown-step-kind`: `uses` names no registered kind.
 * - `missing-processor`: `uses` names an operation of a processor family (`image.*`, `media.*`,
 *   `document.*`) that is not registered: the processors' operations are not installed.
 * - `invalid-template`: a `{{ … }}` in `with` or `if` that cannot be read, starts from an
 *   unknown root, or reads `steps.<name>` of a step that is not among the step's (transitive)
 *   `needs` — its output would not exist yet.
 * - `unreachable-step`: a step that can never run because it (transitively) needs a step in
 *   a cycle or a step that is not defined. (A step needing one with `onError: continue` is
 *   reachable: dependents run after such a step fails.)
 *
 * @example
 * ```ts
 * const { ok, problems } = lintWorkflow(yamlText, { stepKinds: (name) => registry.has(name) });
 * for (const p of problems) console.log(`${p.rule} at ${p.path}: ${p.message}`);
 * ```
 */
export function lintWorkflow(input: unknown, options: LintOptions = {}): LintResult {
  const checked = checkWorkflow(input);
  if (!checked.ok) {
    return {
      ok: false,
      problems: checked.issues.map((i) => ({ rule: 'schema', message: i.message, path: i.path })),
    };
  }
  const definition = checked.definition;
  const { steps } = definition;
  const problems: LintProblem[] = [];
  const known = options.stepKinds ?? (() => true);
  const families = new Set(options.processorFamilies ?? PROCESSOR_FAMILIES);

  const undefinedNeeds = new Set<string>();
  for (const [name, step] of Object.entries(steps)) {
    (step.needs ?? []).forEach((need, i) => {
      if (!Object.hasOwn(steps, need)) {
        undefinedNeeds.add(name);
        problems.push({
          rule: 'undefined-step',
          message: `Step "${name}" needs "${need}", which this workflow does not define`,
          path: `steps.${name}.needs[${i}]`,
        });
      }
    });
    if (!known(step.uses)) {
      const family = step.uses.split('.')[0] ?? '';
      problems.push(
        families.has(family) && step.uses.includes('.')
          ? {
              rule: 'missing-processor',
              message: `Step "${name}" uses the processor operation "${step.uses}", which is not registered: install @fileforge/processors and pass its operations to the forge (createForge({ workflows: { operations } }))`,
              path: `steps.${name}.uses`,
            }
          : {
              rule: 'unknown-step-kind',
              message: `Step "${name}" uses "${step.uses}", which is no registered step kind`,
              path: `steps.${name}.uses`,
            },
      );
    }
  }

  const inCycle = new Set<string>();
  for (const cycle of findCycles(steps)) {
    for (const n of cycle) inCycle.add(n);
    problems.push({
      rule: 'cycle',
      message: `Steps ${cycle.map((n) => `"${n}"`).join(' → ')} need each other: none of them can start`,
      path: `steps.${cycle[0]}.needs`,
    });
  }
  for (const name of dependentsOf(steps, new Set([...inCycle, ...undefinedNeeds]))) {
    problems.push({
      rule: 'unreachable-step',
      message: `Step "${name}" can never run: it depends on a step in a cycle or on an undefined step`,
      path: `steps.${name}`,
    });
  }

  for (const [name, step] of Object.entries(steps)) {
    const ancestors = ancestorsOf(steps, name);
    const templates = [
      ...templateStrings(step.with ?? {}, `steps.${name}.with`),
      ...(step.if === undefined ? [] : [{ path: `steps.${name}.if`, template: step.if }]),
    ];
    for (const { path, template } of templates) {
      for (const message of templateProblems(template, name, steps, ancestors)) {
        problems.push({ rule: 'invalid-template', message, path });
      }
    }
  }
  return { ok: problems.length === 0, problems, definition };
}

function templateProblems(
  template: string,
  step: string,
  steps: WorkflowDefinition['steps'],
  ancestors: ReadonlySet<string>,
): string[] {
  const parsed = parseTemplate(template);
  if ('issue' in parsed) return [`Cannot read ${JSON.stringify(template)}: ${parsed.issue.message}`];
  const out: string[] = [];
  for (const part of parsed.parts) {
    if (!('path' in part)) continue;
    const [root, other, field] = part.path;
    const expression = part.path.join('.');
    if (!EXPRESSION_ROOTS.includes(root as (typeof EXPRESSION_ROOTS)[number])) {
      out.push(
        `"{{ ${expression} }}" starts from "${root}"; expressions start from ${EXPRESSION_ROOTS.join(', ')}`,
      );
    } else if (root === 'steps') {
      if (other === undefined || !Object.hasOwn(steps, other)) {
        out.push(`"{{ ${expression} }}" reads a step this workflow does not define`);
      } else if (!ancestors.has(other)) {
        out.push(
          `"{{ ${expression} }}" reads step "${other}", which is not among the needs of "${step}": add it to needs`,
        );
      } else if (field !== undefined && field !== 'output' && field !== 'status') {
        out.push(`"{{ ${expression} }}": a step offers "output" and "status"`);
      }
    }
  }
  return out;
}

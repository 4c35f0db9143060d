/**
 * The workflow definition model: one zod schema for what a user writes in YAML or JSON (or
 * builds with `defineWorkflow()`), and {@link parseWorkflow}, which validates it and fills in
 * the defaults.
 *
 * ```yaml
 * name: contracts-to-docusign
 * on: { event: file.classified, filter: { field: category, op: eq, value: contracts } }
 * steps:
 *   thumbnail: { uses: image.thumbnail, with: { size: 256 } }
 *   sign: { uses: connector.docusign.sendEnvelope, needs: [thumbnail], retry: { maxRetries: 5 } }
 * ```
 *
 * @module
 */
import { Cron } from 'croner';
import { z } from 'zod';
import { nestingProblem, parseDocumentText } from '../definitions/read-document.js';
import { ErrorCode } from '../errors/codes.js';
import { FileForgeError } from '../errors/fileforge-error.js';
import { filterSchema } from './condition.js';

/** Step names: what `needs` and `{{ steps.<name>… }}` refer to. */
export const STEP_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
/** Step kinds: `process`, `image.thumbnail`, `connector.slack.postMessage`, custom names. */
export const STEP_KIND = /^[A-Za-z][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*$/;

const eventTriggerSchema = z
  .object({
    /** `file.*` or one file event (`file.processed`, `file.classified`, …). */
    event: z
      .string()
      .regex(/^file\.(\*|[a-z][a-z_]*)$/, 'a file event such as "file.processed", or "file.*"'),
    filter: filterSchema.optional(),
  })
  .strict();

/** Whether `zone` is an IANA time zone this process knows (`Europe/Paris`, `UTC`). */
function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const scheduleTriggerSchema = z
  .object({
    schedule: z.string(),
    /** IANA time zone the pattern is read in. @default the process's */
    timezone: z.string().min(1).optional(),
  })
  .strict()
  .superRefine(({ schedule, timezone }, ctx) => {
    // Checked as the schedule will run it, so a stored workflow always schedules at start-up.
    if (timezone !== undefined && !isTimeZone(timezone)) {
      ctx.addIssue({ code: 'custom', path: ['timezone'], message: `not an IANA time zone: "${timezone}"` });
      return;
    }
    try {
      const cron = new Cron(schedule, { paused: true, ...(timezone ? { timezone } : {}) });
      // croner accepts a date no month has (`0 0 30 2 *`) and never runs it: refused here.
      if (!cron.nextRun()) {
        ctx.addIssue({
          code: 'custom',
          path: ['schedule'],
          message: `never runs: no date matches "${schedule}" (such as 30 February or 31 April)`,
        });
      }
      cron.stop();
    } catch (error) {
      ctx.addIssue({
        code: 'custom',
        path: ['schedule'],
        message: `not a cron pattern: ${(error as Error).message}`,
      });
    }
  });

const manualTriggerSchema = z.object({ manual: z.literal(true) }).strict();

const watchTriggerSchema = z
  .object({
    watch: z.object({ folder: z.string().min(1), recursive: z.boolean().default(false) }).strict(),
  })
  .strict();

/** What starts a run of a workflow. */
export const triggerSchema = z.union([
  eventTriggerSchema,
  scheduleTriggerSchema,
  manualTriggerSchema,
  watchTriggerSchema,
]);

/** The subset of the resilience retry options a definition can set (plain data only). */
export const stepRetrySchema = z
  .object({
    maxRetries: z.number().int().min(0).max(100).optional(),
    retryDelayMs: z.number().min(0).optional(),
    maxRetryDelayMs: z.number().min(0).optional(),
    exponentialBase: z.number().min(1).optional(),
    jitter: z.enum(['none', 'full', 'equal', 'decorrelated']).optional(),
    maxRetryAfterMs: z.number().min(0).optional(),
  })
  .strict();

/** One step of a workflow. */
export const stepSchema = z
  .object({
    /** The step kind to run. */
    uses: z.string().regex(STEP_KIND, 'a step kind such as "process" or "image.thumbnail"'),
    /** Steps that must finish first. */
    needs: z.array(z.string().regex(STEP_NAME, 'a step name')).optional(),
    /** Options for the step kind; strings may hold `{{ … }}` expressions. */
    with: z.record(z.string(), z.unknown()).optional(),
    /** Retries with exponential backoff; without it a step is tried once. */
    retry: stepRetrySchema.optional(),
    /** Time budget per attempt in ms. @default the kind's, else 30000 */
    timeoutMs: z.number().int().positive().optional(),
    /** `fail` fails the run; `continue` records the failure and lets dependents run. */
    onError: z.enum(['fail', 'continue']).default('fail'),
    /** An expression (`{{ steps.check.output.ok }}`); falsy (empty, `false`, `0`, `null`) skips the step. */
    if: z.string().optional(),
  })
  .strict();

/** A workflow definition, as stored. */
export const workflowSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,127}$/, 'letters, digits, spaces, ".", "_", "-"'),
    description: z.string().max(2000).optional(),
    enabled: z.boolean().default(true),
    on: z.union([triggerSchema, z.array(triggerSchema).min(1)]),
    steps: z
      .record(z.string().regex(STEP_NAME, 'a step name: letters, digits, "_", "-"'), stepSchema)
      .refine((steps) => Object.keys(steps).length > 0, 'a workflow needs at least one step'),
  })
  .strict();

/** A validated workflow definition (defaults filled in). */
export type WorkflowDefinition = z.output<typeof workflowSchema>;
/** A workflow definition as written (defaults optional). */
export type WorkflowDefinitionInput = z.input<typeof workflowSchema>;
/** One step of a {@link WorkflowDefinition}. */
export type WorkflowStep = z.output<typeof stepSchema>;
/** One trigger of a {@link WorkflowDefinition}. */
export type WorkflowTrigger = z.output<typeof triggerSchema>;
/** The retry options a step may set. */
export type StepRetryOptions = z.output<typeof stepRetrySchema>;

/** One validation problem: where (`steps.sign.retry.maxRetries`) and what. */
export interface DefinitionIssue {
  path: string;
  message: string;
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path)
    out += typeof key === 'number' ? `[${key}]` : out === '' ? String(key) : `.${String(key)}`;
  return out;
}

/** Flattens zod issues; a union failing every branch reports its closest branch. */
function flatten(issues: readonly z.core.$ZodIssue[], base: readonly PropertyKey[] = []): DefinitionIssue[] {
  const out: DefinitionIssue[] = [];
  for (const issue of issues) {
    const path = [...base, ...issue.path];
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      const closest = issue.errors.reduce((a, b) => (b.length < a.length ? b : a));
      if (closest.length > 0) {
        out.push(...flatten(closest, path));
        continue;
      }
    }
    out.push({ path: formatPath(path), message: issue.message });
  }
  return out;
}

/** Reads YAML or JSON text (YAML 1.2 accepts JSON). */
function readText(text: string): { value: unknown } | { issue: DefinitionIssue } {
  try {
    return { value: parseDocumentText(text) };
  } catch (error) {
    return { issue: { path: '', message: `Not valid YAML or JSON: ${(error as Error).message}` } };
  }
}

/** Validates without throwing: the definition, or the problems with their field paths. */
export function checkWorkflow(
  input: unknown,
): { ok: true; definition: WorkflowDefinition } | { ok: false; issues: DefinitionIssue[] } {
  let value = input;
  if (typeof input === 'string') {
    const read = readText(input);
    if ('issue' in read) return { ok: false, issues: [read.issue] };
    value = read.value;
  }
  const tooDeep = nestingProblem(value);
  if (tooDeep) return { ok: false, issues: [{ path: '', message: tooDeep }] };
  const parsed = workflowSchema.safeParse(value);
  return parsed.success
    ? { ok: true, definition: parsed.data }
    : { ok: false, issues: flatten(parsed.error.issues) };
}

/**
 * Validates a workflow definition (YAML or JSON text, or an already-parsed value) and returns
 * it with defaults filled in (`enabled: true`, `onError: 'fail'`). Only the shape is checked
 * here; `lintWorkflow` also checks the graph, the step kinds and the expressions.
 *
 * @throws FileForgeError `VALIDATION_FAILED` with `details.issues` (`{ path, message }[]`)
 * @example
 * ```ts
 * const definition = parseWorkflow(await readFile('contracts.yaml', 'utf8'));
 * ```
 */
export function parseWorkflow(input: unknown): WorkflowDefinition {
  const checked = checkWorkflow(input);
  if (checked.ok) return checked.definition;
  const [first] = checked.issues;
  const where = first && first.path !== '' ? `${first.path}: ` : '';
  const more = checked.issues.length > 1 ? ` (and ${checked.issues.length - 1} more)` : '';
  throw new FileForgeError(
    ErrorCode.VALIDATION_FAILED,
    `[fileforge:workflows] Invalid workflow: ${where}${first?.message ?? 'invalid'}${more}`,
    { details: { issues: checked.issues } },
  );
}

/** The triggers of a definition as a list. */
export function triggersOf(definition: Pick<WorkflowDefinition, 'on'>): WorkflowTrigger[] {
  return Array.isArray(definition.on) ? definition.on : [definition.on];
}

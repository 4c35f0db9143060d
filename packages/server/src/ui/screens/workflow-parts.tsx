import type { WorkflowRun, WorkflowStepRun } from '@fileforge/core';
import { Badge, type BadgeTone, Card, FormStatus } from '../components.js';
import { formatDate, formatMs } from '../format.js';

const RUN_TONE: Record<string, BadgeTone> = {
  pending: 'info',
  running: 'info',
  completed: 'ok',
  failed: 'bad',
  cancelled: 'warn',
  skipped: 'neutral',
};

/** A run's or a step's status in words. */
export function RunStatus({ status }: { status: string }) {
  return <Badge tone={RUN_TONE[status] ?? 'neutral'}>{status}</Badge>;
}

/** How long something took, or `running for …` / `—`. */
export function elapsed(startedAt: string | null, finishedAt: string | null, now = Date.now()): string {
  if (!startedAt) return '—';
  const end = finishedAt ? Date.parse(finishedAt) : now;
  const ms = Math.max(0, end - Date.parse(startedAt));
  return finishedAt ? formatMs(ms) : `${formatMs(ms)} so far`;
}

/** What started a run, in words. */
export function triggerText(trigger: WorkflowRun['trigger']): string {
  switch (trigger.kind) {
    case 'event':
      return `event ${trigger.event}`;
    case 'schedule':
      return `schedule ${trigger.schedule}`;
    case 'watch':
      return 'a watched folder';
    case 'pipeline':
      return 'the processing pipeline';
    default:
      return 'run by hand';
  }
}

/** One step of the timeline: status, duration, attempts, and its output or error. */
function Step({ step, index }: { step: WorkflowStepRun; index: number }) {
  const hasOutput = step.output !== undefined && step.output !== null;
  return (
    <li class={`timeline-step timeline-${step.status}`}>
      <h3>
        <span class="visually-hidden">Step {index + 1}: </span>
        {step.name} <RunStatus status={step.status} />
      </h3>
      <dl class="facts">
        <dt>Duration</dt>
        <dd>{elapsed(step.startedAt, step.finishedAt)}</dd>
        <dt>Attempts</dt>
        <dd>{step.attempts}</dd>
        {step.startedAt ? (
          <>
            <dt>Started</dt>
            <dd>{formatDate(step.startedAt)}</dd>
          </>
        ) : null}
      </dl>
      {step.error ? (
        <p class="error-text">
          <strong>Error {step.error.code}:</strong> {step.error.message}
        </p>
      ) : null}
      {hasOutput ? (
        <details data-step={step.name}>
          <summary>Output of {step.name}</summary>
          <pre>{JSON.stringify(step.output, null, 2)}</pre>
        </details>
      ) : null}
    </li>
  );
}

/** The run's facts, its actions (for editors) and its step timeline; re-rendered while it runs. */
export function RunDetail({ run, canAct }: { run: WorkflowRun; canAct: boolean }) {
  const live = run.status === 'pending' || run.status === 'running';
  return (
    <>
      <p data-run-status={run.status}>
        Status: <RunStatus status={run.status} /> · attempt {run.attempt} · {triggerText(run.trigger)}
        {run.fileId ? (
          <>
            {' '}
            · file <a href={`/files/${run.fileId}`}>{run.fileId}</a>
          </>
        ) : null}
      </p>
      <dl class="facts">
        <dt>Created</dt>
        <dd>{formatDate(run.createdAt)}</dd>
        <dt>Duration</dt>
        <dd>{elapsed(run.startedAt, run.finishedAt)}</dd>
      </dl>
      {run.error ? (
        <p class="notice notice-bad">
          Failed{run.error.step ? ` at step “${run.error.step}”` : ''}: {run.error.code} — {run.error.message}
        </p>
      ) : null}
      {canAct && (run.status === 'failed' || live) ? (
        <div class="toolbar">
          {run.status === 'failed' ? (
            <button type="button" class="btn btn-primary" data-run-action="retry" id="run-retry">
              Retry from the failed step
            </button>
          ) : null}
          {live ? (
            <button type="button" class="btn btn-danger" data-run-action="cancel" id="run-cancel">
              Cancel run
            </button>
          ) : null}
        </div>
      ) : null}
      <h2>Steps</h2>
      {run.steps.length === 0 ? <p>No step has started yet.</p> : null}
      <ol class="timeline">
        {run.steps.map((step, i) => (
          <Step step={step} index={i} />
        ))}
      </ol>
    </>
  );
}

/** The definition editor with the linter's messages beside it. */
export function WorkflowEditor({ id, text, canEdit }: { id?: string; text: string; canEdit: boolean }) {
  return (
    <div class="split workflow-edit">
      <Card title="Definition">
        <form id={canEdit ? 'workflow-editor' : undefined} class="stack" data-workflow-id={id ?? ''}>
          <label class="field" for="workflow-text">
            <span>
              Definition <span class="hint">— JSON or YAML</span>
            </span>
            <textarea
              id="workflow-text"
              name="definition"
              rows={22}
              spellcheck={false}
              readonly={!canEdit}
              aria-describedby="lint-summary"
            >
              {text}
            </textarea>
          </label>
          {canEdit ? (
            <div class="toolbar">
              <button type="submit" class="btn btn-primary">
                {id ? 'Save' : 'Create workflow'}
              </button>
              {id ? (
                <button type="button" class="btn btn-danger" id="workflow-delete">
                  Delete
                </button>
              ) : null}
            </div>
          ) : null}
          <FormStatus id="workflow-status" />
        </form>
      </Card>
      <section class="card" aria-labelledby="lint-title">
        <h2 id="lint-title">Linter</h2>
        <p id="lint-summary" role="status">
          {canEdit ? 'Checked as you type.' : 'Read only.'}
        </p>
        <ul id="lint-problems" class="lint-problems" />
      </section>
    </div>
  );
}

import type { Child } from 'hono/jsx';

/** How a badge reads: its tone only reinforces the word, never replaces it. */
export type BadgeTone = 'ok' | 'warn' | 'bad' | 'info' | 'neutral';

/** A small label with a word in it (`processed`, `needs review`); the colour is extra. */
export function Badge({
  tone = 'neutral',
  children,
  id,
}: {
  tone?: BadgeTone;
  children?: Child;
  id?: string;
}) {
  return (
    <span class={tone === 'neutral' ? 'badge' : `badge badge-${tone}`} id={id}>
      {children}
    </span>
  );
}

const STATUS_TONE: Record<string, BadgeTone> = {
  pending: 'info',
  processing: 'info',
  processed: 'ok',
  failed: 'bad',
  rejected: 'bad',
};

/** A file's status in words, as a badge (`data-status` lets scripts update it in place). */
export function StatusBadge({ status }: { status: string }) {
  return (
    <span class={`badge badge-${STATUS_TONE[status] ?? 'neutral'}`} data-status={status}>
      {status}
    </span>
  );
}

/** A labelled form control: the label wraps the control, with an optional hint under it. */
export function Field({ label, hint, children }: { label: string; hint?: string; children?: Child }) {
  return (
    // biome-ignore lint/a11y/noLabelWithoutControl: the control is passed in as a child
    <label class="field">
      <span>
        {label}
        {hint ? <span class="hint"> — {hint}</span> : null}
      </span>
      {children}
    </label>
  );
}

/** A titled section in a box. `headingLevel` keeps the outline right (default h2). */
export function Card({
  title,
  children,
  id,
  headingLevel = 2,
}: {
  title?: string;
  children?: Child;
  id?: string;
  headingLevel?: 2 | 3;
}) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <section class="card" id={id} aria-label={title}>
      {title ? <Heading>{title}</Heading> : null}
      {children}
    </section>
  );
}

/** A notice: information, a warning, or a problem (the first words say which). */
export function Notice({ tone = 'info', children }: { tone?: 'info' | 'warn' | 'bad'; children?: Child }) {
  return <div class={tone === 'info' ? 'notice' : `notice notice-${tone}`}>{children}</div>;
}

/** A modal dialog opened by any `[data-ff-dialog="<id>"]` button (the browser moves focus in and back). */
export function Dialog({ id, title, children }: { id: string; title: string; children?: Child }) {
  return (
    <dialog id={id} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{title}</h2>
      {children}
    </dialog>
  );
}

/** A status line inside a form: `FF` writes results here, read out politely. */
export function FormStatus({ id }: { id?: string }) {
  return <p class="form-status" role="status" aria-live="polite" id={id} />;
}

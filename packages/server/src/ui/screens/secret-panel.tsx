import type { Child } from 'hono/jsx';

/**
 * Where a secret the server shows once appears (a webhook's signing secret, an API key):
 * hidden until the script fills it, then focused so it is read out; with a copy button.
 */
export function SecretPanel({ id, title, children }: { id: string; title: string; children?: Child }) {
  return (
    <section id={id} class="card secret-panel" tabindex={-1} aria-labelledby={`${id}-title`} hidden>
      <h2 id={`${id}-title`}>{title}</h2>
      <p data-secret-note="">It is shown this once: copy it now.</p>
      <p>
        <code id={`${id}-value`} class="secret-value" data-secret="" />
      </p>
      <button type="button" class="btn" data-copy={`#${id}-value`}>
        Copy
      </button>
      {children}
    </section>
  );
}

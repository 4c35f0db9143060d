import type { Child } from 'hono/jsx';

/**
 * A table that may scroll sideways on a narrow screen: the scrolling box is focusable and
 * named, so keyboard users can scroll it too (axe `scrollable-region-focusable`).
 */
export function TableWrap({
  label,
  id,
  hidden,
  children,
}: {
  label: string;
  id?: string;
  hidden?: boolean;
  children?: Child;
}) {
  return (
    <section class="table-wrap" tabindex={0} aria-label={label} id={id} hidden={hidden}>
      {children}
    </section>
  );
}

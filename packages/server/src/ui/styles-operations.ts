/**
 * Styles of the rules, review, workflows, webhooks, integrations and admin screens
 * (appended to the one stylesheet): tokens only, never a literal colour, so both themes follow.
 */
export const OPERATION_STYLES = `
/* Rules, review, workflows, webhooks, integrations, admin */
.split > * { min-width: 0; }
.table-wrap { position: relative; }
.break { overflow-wrap: anywhere; word-break: break-word; }
label.check { display: flex; gap: .5rem; align-items: center; min-height: 2rem; }
.check-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(12rem, 1fr)); gap: 0 1rem; }
.simulate-files { max-height: 16rem; overflow: auto; }
.rule-order { white-space: nowrap; }
.rules-work { margin-top: 1rem; }
ul.review-queue, ul.integration-grid, ol.deliveries { list-style: none; margin: 0; padding: 0; }
.review-name { margin: 0 0 .25rem; font-size: 1.05rem; overflow-wrap: anywhere; }
.review-why { font-size: .9rem; }
.form-status:empty { display: none; }
.lint-problems { padding-left: 1.1rem; }
.lint-problems li { margin: .35rem 0; }
ol.timeline { list-style: none; margin: 0; padding: 0 0 0 1rem; border-left: 3px solid var(--border-soft); }
.timeline-step { position: relative; margin: 0 0 1rem; padding: .5rem .75rem; background: var(--surface); border: 1px solid var(--border-soft); border-radius: var(--radius); }
.timeline-step::before { content: ""; position: absolute; left: -1.55rem; top: .9rem; width: .8rem; height: .8rem; border-radius: 50%; background: var(--border); }
.timeline-completed::before { background: var(--ok-fg); }
.timeline-failed::before { background: var(--danger); }
.timeline-running::before, .timeline-pending::before { background: var(--accent); }
.timeline-step h3 { margin: 0 0 .35rem; }
.secret-panel { border-color: var(--accent); margin: 1rem 0; }
.secret-value { display: inline-block; padding: .3rem .5rem; background: var(--surface-2); border-radius: var(--radius); overflow-wrap: anywhere; font-size: 1rem; }
.admin-nav ul { display: flex; flex-wrap: wrap; gap: .25rem; list-style: none; margin: 0 0 1rem; padding: 0; border-bottom: 1px solid var(--border-soft); }
.admin-nav a { display: block; padding: .4rem .7rem; color: var(--text); text-decoration: none; border-radius: var(--radius) var(--radius) 0 0; }
.admin-nav a:hover { background: var(--surface-2); }
.admin-nav a[aria-current="page"] { box-shadow: inset 0 -3px 0 var(--accent); font-weight: 600; }
.health-grid { grid-template-columns: repeat(auto-fill, minmax(16rem, 1fr)); }
.delivery h3 { display: flex; flex-wrap: wrap; gap: .35rem; align-items: center; margin: 0 0 .35rem; }
.delivery h3 .muted { font-weight: 400; font-size: .9rem; }
`;

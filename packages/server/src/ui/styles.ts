/**
 * The web UI's one stylesheet, served at `/assets/app.css`. Design tokens are custom
 * properties on `:root`; the dark theme swaps them under `prefers-color-scheme: dark`, so
 * components never name a colour. Every text/background pair below meets WCAG AA (4.5:1;
 * 3:1 for borders and focus rings). Components: `.btn` (+ `-primary`, `-danger`, `-quiet`),
 * `.field`, `.card`, `.badge` (+ `-ok`, `-warn`, `-bad`, `-info`; always with a word),
 * `table.table`, `dialog`, `.toolbar`, `.grid`, `.stack`, `.visually-hidden`.
 */
export const STYLESHEET = `
:root {
  color-scheme: light dark;
  --bg: #ffffff; --surface: #f5f6f8; --surface-2: #eaecf0; --text: #1b1f24; --muted: #555f6b;
  --border: #8c959f; --border-soft: #d0d7de;
  --accent: #0a58a8; --accent-text: #ffffff; --accent-soft: #e3eefb;
  --danger: #b3261e; --danger-text: #ffffff;
  --ok-bg: #dcf5e3; --ok-fg: #0f5a26; --warn-bg: #fff1c9; --warn-fg: #6b4500;
  --bad-bg: #fde2e0; --bad-fg: #8e1b14; --info-bg: #e3eefb; --info-fg: #0a4482;
  --focus: #0a58a8; --shadow: 0 1px 3px rgb(0 0 0 / 12%);
  --radius: 8px; --gap: 1rem; --font: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  --mono: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #111418; --surface: #1a1f26; --surface-2: #252b34; --text: #e7eaee; --muted: #a9b3bf;
    --border: #7d8793; --border-soft: #39414c;
    --accent: #78b6ff; --accent-text: #0b1726; --accent-soft: #1b3350;
    --danger: #ff9b93; --danger-text: #2a0603;
    --ok-bg: #123621; --ok-fg: #8ee0a8; --warn-bg: #3a2c05; --warn-fg: #f5cf6a;
    --bad-bg: #431512; --bad-fg: #ffaaa3; --info-bg: #14304f; --info-fg: #a9d0ff;
    --focus: #9cc9ff; --shadow: 0 1px 3px rgb(0 0 0 / 50%);
  }
}
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; font: 15px/1.5 var(--font); background: var(--bg); color: var(--text); }
a { color: var(--accent); }
a:hover { text-decoration-thickness: 2px; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; border-radius: 2px; }
[hidden] { display: none !important; }
img, video, canvas { max-width: 100%; }
code, pre, .mono { font-family: var(--mono); font-size: .875em; }
pre { background: var(--surface); border: 1px solid var(--border-soft); border-radius: var(--radius); padding: .75rem; overflow: auto; max-height: 28rem; white-space: pre-wrap; word-break: break-word; }
h1 { font-size: 1.5rem; margin: 0 0 1rem; line-height: 1.25; }
h2 { font-size: 1.15rem; margin: 1.5rem 0 .5rem; }
h3 { font-size: 1rem; margin: 1rem 0 .5rem; }
.visually-hidden { position: absolute !important; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
.skip-link { position: absolute; left: .5rem; top: -3rem; background: var(--accent); color: var(--accent-text); padding: .5rem .75rem; border-radius: var(--radius); z-index: 10; }
.skip-link:focus { top: .5rem; }
.muted { color: var(--muted); }

/* Shell */
.app-header { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1rem; padding: .5rem 1rem; border-bottom: 1px solid var(--border-soft); background: var(--surface); }
.brand { font-weight: 700; font-size: 1.1rem; color: var(--text); text-decoration: none; margin-right: auto; }
.main-nav { order: 3; width: 100%; overflow-x: auto; }
.main-nav ul { display: flex; gap: .25rem; list-style: none; margin: 0; padding: 0; }
.main-nav a { display: block; padding: .4rem .7rem; border-radius: var(--radius); color: var(--text); text-decoration: none; white-space: nowrap; }
.main-nav a:hover { background: var(--surface-2); }
.main-nav a[aria-current="page"] { background: var(--accent-soft); color: var(--text); font-weight: 600; box-shadow: inset 0 -3px 0 var(--accent); }
.user-menu { display: flex; align-items: center; gap: .5rem; flex-wrap: wrap; font-size: .9rem; }
.user-menu form { margin: 0; }
@media (min-width: 960px) { .main-nav { order: 0; width: auto; } .brand { margin-right: 0; } .user-menu { margin-left: auto; } }
main { padding: 1rem; max-width: 90rem; margin: 0 auto; }
main:focus { outline: none; }
.narrow { max-width: 26rem; margin: 2rem auto; }

/* Layout helpers */
.stack { display: flex; flex-direction: column; gap: .75rem; }
.toolbar { display: flex; flex-wrap: wrap; gap: .5rem; align-items: end; margin: .75rem 0; }
.toolbar .spacer { flex: 1; }
.grid { display: grid; gap: var(--gap); grid-template-columns: repeat(auto-fill, minmax(9.5rem, 1fr)); }
.split { display: grid; gap: var(--gap); grid-template-columns: 1fr; }
@media (min-width: 960px) { .split { grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); } }

/* Buttons */
.btn { display: inline-flex; align-items: center; justify-content: center; gap: .35rem; min-height: 2.5rem; padding: .4rem .9rem; border-radius: var(--radius); border: 1px solid var(--border); background: var(--bg); color: var(--text); font: inherit; font-weight: 500; cursor: pointer; text-decoration: none; }
.btn:hover { background: var(--surface-2); }
.btn-primary { background: var(--accent); border-color: var(--accent); color: var(--accent-text); }
.btn-primary:hover { background: var(--accent); filter: brightness(1.1); }
.btn-danger { background: var(--danger); border-color: var(--danger); color: var(--danger-text); }
.btn-danger:hover { background: var(--danger); filter: brightness(1.1); }
.btn-quiet { border-color: transparent; background: transparent; }
.btn[disabled], .btn[aria-disabled="true"] { opacity: .55; cursor: not-allowed; }
.btn-small { min-height: 2rem; padding: .2rem .6rem; font-size: .875rem; }

/* Forms */
.field { display: flex; flex-direction: column; gap: .25rem; min-width: 0; }
.field > span, .field > label { font-weight: 500; font-size: .9rem; }
.field .hint { font-weight: 400; color: var(--muted); font-size: .85rem; }
input, select, textarea { font: inherit; color: var(--text); background: var(--bg); border: 1px solid var(--border); border-radius: var(--radius); padding: .45rem .6rem; min-height: 2.5rem; max-width: 100%; }
textarea { min-height: 6rem; font-family: var(--mono); }
input[type="checkbox"], input[type="radio"] { min-height: 0; width: 1.15rem; height: 1.15rem; accent-color: var(--accent); }
fieldset { border: 1px solid var(--border-soft); border-radius: var(--radius); padding: .75rem; margin: 0; }
legend { font-weight: 600; padding: 0 .25rem; }
.form-error, .error-text { color: var(--bad-fg); }
[aria-invalid="true"] { border-color: var(--danger); }

/* Cards, tables, badges */
.card { background: var(--surface); border: 1px solid var(--border-soft); border-radius: var(--radius); padding: 1rem; box-shadow: var(--shadow); min-width: 0; }
.card > h2:first-child, .card > h3:first-child { margin-top: 0; }
.table-wrap { overflow-x: auto; border: 1px solid var(--border-soft); border-radius: var(--radius); }
table.table { border-collapse: collapse; width: 100%; }
.table th, .table td { text-align: left; padding: .5rem .65rem; border-bottom: 1px solid var(--border-soft); vertical-align: top; }
.table thead th { background: var(--surface); font-size: .85rem; font-weight: 600; }
.table tbody tr:last-child td { border-bottom: 0; }
.table td.num, .table th.num { text-align: right; font-variant-numeric: tabular-nums; }
dl.facts { display: grid; grid-template-columns: minmax(7rem, max-content) 1fr; gap: .3rem 1rem; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.badge { display: inline-block; padding: .05rem .5rem; border-radius: 999px; font-size: .8rem; font-weight: 600; border: 1px solid currentColor; background: var(--surface-2); color: var(--text); white-space: nowrap; }
.badge-ok { background: var(--ok-bg); color: var(--ok-fg); }
.badge-warn { background: var(--warn-bg); color: var(--warn-fg); }
.badge-bad { background: var(--bad-bg); color: var(--bad-fg); }
.badge-info { background: var(--info-bg); color: var(--info-fg); }
.notice { border-left: 4px solid var(--accent); background: var(--info-bg); color: var(--info-fg); padding: .6rem .8rem; border-radius: var(--radius); }
.notice-bad { border-color: var(--danger); background: var(--bad-bg); color: var(--bad-fg); }
.notice-warn { border-color: var(--warn-fg); background: var(--warn-bg); color: var(--warn-fg); }

/* Dialogs */
dialog { border: 1px solid var(--border); border-radius: var(--radius); background: var(--bg); color: var(--text); padding: 1.25rem; max-width: min(32rem, calc(100vw - 2rem)); box-shadow: 0 10px 30px rgb(0 0 0 / 30%); }
dialog::backdrop { background: rgb(0 0 0 / 45%); }
dialog h2 { margin-top: 0; }
dialog .actions { display: flex; justify-content: flex-end; gap: .5rem; margin-top: 1rem; flex-wrap: wrap; }

/* Pager */
.pager { display: flex; gap: .5rem; align-items: center; flex-wrap: wrap; margin: 1rem 0; }
`;

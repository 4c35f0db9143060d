/**
 * The workflows screens' script (`/ui/assets/workflows.js`). On a definition: the linter
 * runs as you type (its messages stay beside the editor), save, run now, delete. On a run:
 * retry from the failed step, cancel, and the step timeline refreshed in place while the run
 * is under way (open step details and focus are kept).
 */
export const WORKFLOWS_SCRIPT = `
(() => {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const isJson = (text) => /^\\s*[\\[{]/.test(text);
  const bodyOf = (text) => ({ body: text, headers: { 'content-type': isJson(text) ? 'application/json' : 'application/yaml' } });
  const plural = (n, word) => n + ' ' + word + (n === 1 ? '' : 's');

  const editor = $('workflow-editor');
  const text = $('workflow-text');
  const problems = $('lint-problems');
  const summary = $('lint-summary');
  const showProblems = (list) => {
    problems.replaceChildren(...list.map((p) => {
      const li = document.createElement('li');
      const rule = document.createElement('span');
      rule.className = 'badge badge-bad';
      rule.textContent = p.rule;
      li.append(rule, ' ');
      if (p.path) { const code = document.createElement('code'); code.textContent = p.path; li.append(code, ': '); }
      li.append(p.message);
      return li;
    }));
    summary.textContent = list.length === 0 ? 'The linter finds no problems.' : 'The linter finds ' + plural(list.length, 'problem') + '.';
    text.setAttribute('aria-invalid', list.length ? 'true' : 'false');
  };
  let linting = 0;
  const lint = async () => {
    const mine = ++linting;
    try {
      const res = await FF.json('/api/v1/workflows/lint', Object.assign({ method: 'POST' }, bodyOf(text.value)));
      if (mine === linting) showProblems(res.problems);
    } catch (err) {
      if (mine === linting) showProblems([{ rule: err.code === 'VALIDATION_FAILED' ? 'schema' : 'error', path: '', message: err.message }]);
    }
  };
  if (text) lint();
  if (editor) {
    let timer = null;
    text.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(lint, 500); });
    editor.addEventListener('submit', async (e) => {
      e.preventDefault();
      const id = editor.dataset.workflowId;
      const status = $('workflow-status');
      status.textContent = 'Saving…';
      try {
        const saved = await FF.json(id ? '/api/v1/workflows/' + id : '/api/v1/workflows', Object.assign({ method: id ? 'PUT' : 'POST' }, bodyOf(text.value)));
        status.textContent = 'Saved.';
        location.assign('/workflows/' + saved.id + '?saved=1');
      } catch (err) {
        if (err.details && err.details.problems) showProblems(err.details.problems);
        status.textContent = 'Not saved: ' + err.message;
      }
    });
  }

  const runNow = $('run-now');
  if (runNow) runNow.addEventListener('submit', async (e) => {
    e.preventDefault();
    const fileId = runNow.elements.namedItem('fileId').value.trim();
    const status = $('run-now-status');
    status.textContent = 'Starting…';
    try {
      const run = await FF.json('/api/v1/workflows/' + runNow.dataset.workflowId + '/runs', { method: 'POST', body: fileId ? { fileId } : {} });
      location.assign('/workflows/' + run.workflowId + '/runs/' + run.id);
    } catch (err) { status.textContent = 'Not started: ' + err.message; }
  });

  const del = $('workflow-delete');
  if (del) del.addEventListener('click', async () => {
    if (!(await FF.confirm('Delete this workflow and its run history?', 'Delete workflow'))) return;
    try {
      await FF.json('/api/v1/workflows/' + editor.dataset.workflowId, { method: 'DELETE' });
      location.assign('/workflows');
    } catch (err) { $('workflow-status').textContent = 'Not deleted: ' + err.message; }
  });

  // A run: retry, cancel, live timeline.
  const run = $('run');
  if (!run) return;
  const base = '/api/v1/workflows/' + run.dataset.workflowId + '/runs/' + run.dataset.runId;
  const refresh = async () => {
    const res = await FF.api(location.pathname + '?fragment=run', { headers: { accept: 'text/html' } });
    if (!res.ok) return;
    const open = Array.from(run.querySelectorAll('details[open][data-step]')).map((d) => d.dataset.step);
    const focused = document.activeElement && run.contains(document.activeElement) ? document.activeElement.id : null;
    const was = run.dataset.status;
    run.innerHTML = await res.text();
    const fresh = run.querySelector('[data-run-status]');
    run.dataset.status = fresh ? fresh.dataset.runStatus : was;
    for (const name of open) { const d = run.querySelector('details[data-step="' + CSS.escape(name) + '"]'); if (d) d.open = true; }
    if (focused && $(focused)) $(focused).focus();
    if (run.dataset.status !== was) FF.announce('The run is now ' + run.dataset.status + '.');
  };
  const live = () => ['pending', 'running'].includes(run.dataset.status);
  const timer = setInterval(() => { if (document.visibilityState === 'visible' && live()) refresh(); }, 1500);
  window.addEventListener('pagehide', () => clearInterval(timer));
  run.addEventListener('click', async (e) => {
    const button = e.target instanceof Element ? e.target.closest('button[data-run-action]') : null;
    if (!button) return;
    const action = button.dataset.runAction;
    if (action === 'cancel' && !(await FF.confirm('Cancel this run? Steps under way are stopped.', 'Cancel run'))) return;
    button.disabled = true;
    try {
      await FF.json(base + '/' + action, { method: 'POST' });
      FF.announce(action === 'retry' ? 'Retrying from the failed step.' : 'Cancelling the run.');
      run.dataset.status = 'running';
      await refresh();
    } catch (err) {
      button.disabled = false;
      FF.announce((action === 'retry' ? 'Not retried: ' : 'Not cancelled: ') + err.message);
    }
  });
})();
`;

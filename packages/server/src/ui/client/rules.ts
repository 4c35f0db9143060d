/**
 * The rules screen's script (`/ui/assets/rules.js`, after the shared `core.js`): saves the
 * rule in the editor (JSON or YAML) and lists the server's validation messages beside it,
 * moves rules up and down (renumbering priorities), and simulates — for the chosen files,
 * with the saved rules or with the editor's draft in place — which rule would file each
 * where, and why. The draft is simulated again as it changes.
 */
export const RULES_SCRIPT = `
(() => {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const editor = $('rule-editor');
  const problems = $('rule-problems');
  const isJson = (text) => /^\\s*[\\[{]/.test(text);
  const bodyOf = (text) => ({ body: text, headers: { 'content-type': isJson(text) ? 'application/json' : 'application/yaml' } });

  const showProblems = (list) => {
    problems.replaceChildren(...list.map((p) => {
      const li = document.createElement('li');
      if (p.path) { const code = document.createElement('code'); code.textContent = p.path; li.append(code, ': '); }
      li.append(p.message);
      return li;
    }));
    problems.hidden = list.length === 0;
    $('rule-text').setAttribute('aria-invalid', list.length ? 'true' : 'false');
  };

  if (editor) editor.addEventListener('submit', async (e) => {
    e.preventDefault();
    const text = $('rule-text').value;
    const id = editor.dataset.ruleId;
    const status = $('rule-status');
    status.textContent = 'Saving…';
    try {
      const saved = await FF.json(id ? '/api/v1/sorter/rules/' + encodeURIComponent(id) : '/api/v1/sorter/rules',
        Object.assign({ method: id ? 'PUT' : 'POST' }, bodyOf(text)));
      showProblems([]);
      status.textContent = 'Saved rule “' + saved.id + '”.';
      location.assign('/rules?edit=' + encodeURIComponent(saved.id) + '&saved=1');
    } catch (err) {
      const list = err.details && err.details.fields ? err.details.fields : [{ path: '', message: err.message }];
      showProblems(list);
      status.textContent = 'Not saved: ' + list.length + ' problem' + (list.length === 1 ? '' : 's') + ' (listed below the editor).';
    }
  });

  // Reordering: the list's order becomes the priorities (highest first, in steps of 10).
  const list = $('rule-list');
  const rows = () => Array.from(list.querySelectorAll('tr[data-rule-id]'));
  if (list) list.addEventListener('click', async (e) => {
    const button = e.target instanceof Element ? e.target.closest('button[data-move]') : null;
    if (!button) return;
    const row = button.closest('tr');
    const before = rows();
    const index = before.indexOf(row);
    const target = index + (button.dataset.move === 'up' ? -1 : 1);
    if (target < 0 || target >= before.length) return;
    const order = before.slice();
    order.splice(index, 1);
    order.splice(target, 0, row);
    button.disabled = true;
    try {
      const count = order.length;
      for (let i = 0; i < count; i++) {
        const r = order[i];
        const priority = (count - i) * 10;
        if (Number(r.dataset.priority) === priority) continue;
        const rule = await FF.json('/api/v1/sorter/rules/' + encodeURIComponent(r.dataset.ruleId));
        rule.priority = priority;
        await FF.json('/api/v1/sorter/rules/' + encodeURIComponent(rule.id), { method: 'PUT', body: rule });
        r.dataset.priority = String(priority);
        r.querySelector('[data-priority-cell]').textContent = String(priority);
      }
      const body = row.parentElement;
      for (const r of order) body.append(r);
      order.forEach((r, i) => {
        r.querySelector('[data-position]').textContent = String(i + 1);
        r.querySelector('button[data-move=up]').disabled = i === 0;
        r.querySelector('button[data-move=down]').disabled = i === count - 1;
      });
      const again = row.querySelector('button[data-move=' + button.dataset.move + ']');
      (again && !again.disabled ? again : row.querySelector('button[data-move]:not([disabled])') || row.querySelector('a')).focus();
      FF.announce('Rule “' + row.dataset.ruleId + '” is now number ' + (target + 1) + ' of ' + count + '.');
    } catch (err) {
      button.disabled = false;
      FF.announce('Could not reorder: ' + err.message);
    }
  });

  // Simulate.
  const simulate = $('simulate');
  const result = $('simulate-result');
  const savedRules = () => JSON.parse($('rules-data').textContent || '[]');
  const draftRules = () => {
    const text = $('rule-text') ? $('rule-text').value : '';
    if (!text.trim()) return { rules: savedRules() };
    let draft;
    try { draft = JSON.parse(text); } catch (_) { return { error: 'The draft is not JSON: save it first, then simulate the saved rules.' }; }
    const rules = savedRules().filter((r) => r.id !== (editor.dataset.ruleId || draft.id));
    rules.push(draft);
    return { rules };
  };
  const cell = (text, className) => {
    const td = document.createElement('td');
    if (className) td.className = className;
    td.textContent = text;
    return td;
  };
  const ACTIONS = { move: 'would move', skip: 'would stay (skip)', overwrite: 'would replace the file there', deduplicate: 'identical copy: not moved', rename_existing: 'would take the place; the occupant is renamed', trash: 'would take the place; the occupant goes to .trash', none: 'stays where it is' };
  let running = 0;
  const run = async () => {
    if (!simulate) return;
    const fileIds = Array.from(simulate.querySelectorAll('input[name=fileId]:checked')).map((i) => i.value);
    const status = $('simulate-status');
    if (fileIds.length === 0) { status.textContent = 'Choose at least one file to simulate.'; return; }
    const useDraft = simulate.querySelector('input[name=with]:checked')?.value === 'draft';
    const body = { fileIds };
    if (useDraft) {
      const draft = draftRules();
      if (draft.error) { status.textContent = draft.error; return; }
      body.rules = draft.rules;
    }
    const mine = ++running;
    status.textContent = 'Simulating…';
    try {
      const plan = await FF.json('/api/v1/sorter/simulate', { method: 'POST', body });
      if (mine !== running) return;
      const names = Object.fromEntries(Array.from(simulate.querySelectorAll('input[name=fileId]')).map((i) => [i.value, i.dataset.name]));
      const tbody = result.querySelector('tbody');
      tbody.replaceChildren(...plan.items.map((item) => {
        const tr = document.createElement('tr');
        tr.append(
          cell(names[item.fileId] || item.fileId),
          cell(item.ruleId ? '“' + item.ruleId + '”' : 'no rule matched'),
          cell(item.category || '—'),
          cell(item.to || item.from || 'stays where it is'),
          cell(ACTIONS[item.action] || item.action),
          cell(item.reason),
        );
        return tr;
      }));
      result.hidden = false;
      status.textContent = 'Simulated ' + plan.items.length + ' file' + (plan.items.length === 1 ? '' : 's') + (useDraft ? ' with the draft' : ' with the saved rules') + '. Nothing was moved.';
    } catch (err) {
      if (mine !== running) return;
      const list = err.details && err.details.fields ? ': ' + err.details.fields.map((f) => f.path + ' ' + f.message).join('; ') : '';
      status.textContent = 'Could not simulate: ' + err.message + list;
    }
  };
  if (simulate) {
    simulate.addEventListener('submit', (e) => { e.preventDefault(); run(); });
    let timer = null;
    const again = () => {
      if (result.hidden) return;
      clearTimeout(timer);
      timer = setTimeout(run, 600);
    };
    simulate.addEventListener('change', again);
    if ($('rule-text')) $('rule-text').addEventListener('input', () => {
      if (simulate.querySelector('input[name=with]:checked')?.value === 'draft') again();
    });
  }

  const del = $('rule-delete');
  if (del) del.addEventListener('click', async () => {
    const id = editor.dataset.ruleId;
    if (!(await FF.confirm('Delete the rule “' + id + '”? Files it sorted stay where they are.', 'Delete rule'))) return;
    try {
      await FF.json('/api/v1/sorter/rules/' + encodeURIComponent(id), { method: 'DELETE' });
      location.assign('/rules?deleted=' + encodeURIComponent(id));
    } catch (err) { $('rule-status').textContent = 'Not deleted: ' + err.message; }
  });
})();
`;

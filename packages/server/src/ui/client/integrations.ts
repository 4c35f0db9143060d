/**
 * The integrations screen's script (`/ui/assets/integrations.js`): connect a connector with
 * its credentials form (empty fields are left out; the server's per-field problems appear
 * under each field), test the connection, disconnect.
 */
export const INTEGRATIONS_SCRIPT = `
(() => {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const page = $('integration');
  if (!page) return;
  const slug = page.dataset.slug;
  const say = (text) => { $('integration-status').textContent = text; };

  const form = $('connect-form');
  if (form) form.addEventListener('submit', async (e) => {
    e.preventDefault();
    for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
    for (const el of form.querySelectorAll('[data-field-error]')) { el.textContent = ''; el.hidden = true; }
    const body = {};
    for (const el of form.querySelectorAll('[data-credential]')) if (el.value.trim() !== '') body[el.name] = el.value;
    const test = form.elements.namedItem('test').checked;
    say(test ? 'Connecting and testing…' : 'Connecting…');
    try {
      await FF.json('/api/v1/integrations/connect/' + slug + '?test=' + test, { method: 'POST', body });
      location.assign(location.pathname + '?connected=1');
    } catch (err) {
      const problems = (err.details && (err.details.problems || err.details.fields)) || [];
      let first = null;
      for (const p of problems) {
        const name = String(p.path || p.field || '').split(/[.\\[]/)[0];
        const input = name && form.elements.namedItem(name);
        const slot = name && form.querySelector('[data-field-error="' + CSS.escape(name) + '"]');
        if (input && slot) {
          input.setAttribute('aria-invalid', 'true');
          slot.textContent = p.message;
          slot.hidden = false;
          first = first || input;
        }
      }
      say('Not connected: ' + err.message + (problems.length ? ' (' + problems.map((p) => (p.path || p.field || '') + ' ' + p.message).join('; ') + ')' : ''));
      if (first) first.focus();
    }
  });

  page.addEventListener('click', async (e) => {
    const button = e.target instanceof Element ? e.target.closest('button[data-integration-action]') : null;
    if (!button) return;
    const action = button.dataset.integrationAction;
    if (action === 'disconnect' && !(await FF.confirm('Disconnect ' + page.dataset.name + '? Its stored credentials are deleted.', 'Disconnect'))) return;
    button.disabled = true;
    try {
      if (action === 'test') {
        say('Testing the connection…');
        const result = await FF.json('/api/v1/integrations/' + slug + '/test', { method: 'POST' });
        say(result.success
          ? 'The connection works (' + Math.round(result.latencyMs) + ' ms).'
          : 'The test failed: ' + (result.error ? result.error.code + ' — ' + result.error.message : 'no answer') + '.');
        const res = await FF.api(location.pathname + '?fragment=health', { headers: { accept: 'text/html' } });
        if (res.ok) $('integration-health').innerHTML = await res.text();
      } else {
        await FF.json('/api/v1/integrations/' + slug, { method: 'DELETE' });
        location.assign(location.pathname + '?disconnected=1');
        return;
      }
    } catch (err) {
      say('Failed: ' + err.message);
    } finally { button.disabled = false; }
  });
})();
`;

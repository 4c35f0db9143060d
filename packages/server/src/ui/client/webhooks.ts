/**
 * The webhooks screens' script (`/ui/assets/webhooks.js`): create a subscription (its
 * signing secret is shown once, with a copy button), and on a subscription's page send a
 * test, rotate the secret, pause or resume, delete, and resend a delivery; the delivery
 * history is re-rendered in place after each.
 */
export const WEBHOOKS_SCRIPT = `
(() => {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const BASE = '/api/v1/integrations/webhooks';

  const showSecret = (secret, note) => {
    const panel = $('secret-panel');
    panel.querySelector('[data-secret]').textContent = secret;
    panel.querySelector('[data-secret-note]').textContent = note;
    panel.hidden = false;
    panel.focus();
  };

  const refreshFragment = async (id, fragment) => {
    const box = $(id);
    if (!box) return;
    const url = new URL(location.href);
    url.searchParams.set('fragment', fragment);
    const res = await FF.api(url.pathname + url.search, { headers: { accept: 'text/html' } });
    if (!res.ok) return;
    const focused = box.contains(document.activeElement) ? document.activeElement.id : '';
    box.innerHTML = await res.text();
    if (focused && $(focused)) $(focused).focus();
  };

  const create = $('webhook-create');
  if (create) create.addEventListener('submit', async (e) => {
    e.preventDefault();
    const status = $('webhook-create-status');
    const events = Array.from(create.querySelectorAll('input[name=events]:checked')).map((i) => i.value);
    const extra = create.elements.namedItem('extraEvents').value.split(/[\\s,]+/).filter(Boolean);
    status.textContent = 'Creating…';
    try {
      const sub = await FF.json(BASE, { method: 'POST', body: { name: create.elements.namedItem('name').value, url: create.elements.namedItem('url').value, events: events.concat(extra) } });
      status.textContent = 'Created “' + sub.name + '”.';
      create.reset();
      showSecret(sub.secret, 'The signing secret of “' + sub.name + '”. It is shown this once: store it where your receiver can read it.');
      await refreshFragment('webhook-list', 'list');
    } catch (err) {
      const fields = err.details && err.details.fields ? ' (' + err.details.fields.map((f) => f.path + ': ' + f.message).join('; ') + ')' : '';
      const reason = err.details && err.details.reason ? ' (' + err.details.reason + ')' : '';
      status.textContent = 'Not created: ' + err.message + fields + reason;
    }
  });

  const page = $('webhook');
  if (!page) return;
  const id = page.dataset.webhookId;
  const say = (text) => { $('webhook-status').textContent = text; };
  page.addEventListener('click', async (e) => {
    const button = e.target instanceof Element ? e.target.closest('button[data-hook-action]') : null;
    if (!button) return;
    const action = button.dataset.hookAction;
    if (action === 'delete' && !(await FF.confirm('Delete this subscription and its delivery history?', 'Delete'))) return;
    if (action === 'rotate' && !(await FF.confirm('Make a new signing secret? The current one keeps signing for 24 hours.', 'Rotate secret'))) return;
    button.disabled = true;
    try {
      if (action === 'test') {
        say('Sending a test…');
        const attempt = await FF.json(BASE + '/' + id + '/test', { method: 'POST' });
        say(attempt.status === 'succeeded'
          ? 'Test delivered: HTTP ' + attempt.responseStatus + ' in ' + Math.round(attempt.durationMs) + ' ms.'
          : 'Test failed: ' + (attempt.responseStatus ? 'HTTP ' + attempt.responseStatus : (attempt.responseBody || 'no answer')) + '.');
      } else if (action === 'rotate') {
        const sub = await FF.json(BASE + '/' + id + '/rotate-secret', { method: 'POST' });
        say('New secret made.');
        showSecret(sub.secret, 'The new signing secret. It is shown this once; the previous secret keeps signing until ' + new Date(sub.previousSecretExpiresAt).toLocaleString() + '.');
      } else if (action === 'enable' || action === 'disable') {
        await FF.json(BASE + '/' + id, { method: 'PATCH', body: { enabled: action === 'enable' } });
        location.reload();
        return;
      } else if (action === 'delete') {
        await FF.json(BASE + '/' + id, { method: 'DELETE' });
        location.assign('/webhooks');
        return;
      } else if (action === 'resend') {
        const attempt = await FF.json(BASE + '/' + id + '/deliveries/' + button.dataset.attemptId + '/resend', { method: 'POST' });
        say('Sent again: ' + attempt.status + (attempt.responseStatus ? ', HTTP ' + attempt.responseStatus : '') + '.');
      }
      await refreshFragment('deliveries', 'deliveries');
    } catch (err) {
      say('Failed: ' + err.message);
    } finally {
      if (button.isConnected) button.disabled = false;
    }
  });
})();
`;

/**
 * The admin screens' script (`/ui/assets/admin.js`): users (change role, disable or enable,
 * delete), API keys (create — the secret shown once with a usage example — and revoke) and
 * backups (run now). Forms that need nothing more use the shared `data-ff-form` hook.
 */
export const ADMIN_SCRIPT = `
(() => {
  'use strict';
  const $ = (id) => document.getElementById(id);

  document.addEventListener('change', async (e) => {
    const select = e.target;
    if (!(select instanceof HTMLSelectElement) || !select.hasAttribute('data-user-role')) return;
    const row = select.closest('[data-user-id]');
    try {
      await FF.json('/api/v1/users/' + row.dataset.userId, { method: 'PATCH', body: { role: select.value } });
      FF.announce(row.dataset.email + ' is now ' + select.value + '.');
      select.dataset.was = select.value;
    } catch (err) {
      select.value = select.dataset.was;
      FF.announce('Role not changed: ' + err.message);
    }
  });

  document.addEventListener('click', async (e) => {
    const button = e.target instanceof Element ? e.target.closest('button[data-admin-action]') : null;
    if (!button) return;
    const action = button.dataset.adminAction;
    const row = button.closest('[data-row]');
    try {
      if (action === 'disable' || action === 'enable') {
        await FF.json('/api/v1/users/' + row.dataset.userId, { method: 'PATCH', body: { disabled: action === 'disable' } });
        FF.announce(row.dataset.email + (action === 'disable' ? ' is disabled and signed out.' : ' can sign in again.'));
        location.reload();
      } else if (action === 'delete-user') {
        if (!(await FF.confirm('Delete ' + row.dataset.email + '? Their files stay.', 'Delete user'))) return;
        await FF.json('/api/v1/users/' + row.dataset.userId, { method: 'DELETE' });
        location.reload();
      } else if (action === 'revoke') {
        if (!(await FF.confirm('Revoke the key “' + row.dataset.name + '”? Programs using it stop working at once.', 'Revoke key'))) return;
        await FF.json('/api/v1/api-keys/' + row.dataset.keyId, { method: 'DELETE' });
        location.reload();
      } else if (action === 'backup') {
        button.disabled = true;
        FF.announce('Backing up…');
        const backup = await FF.json('/api/v1/backups', { method: 'POST' });
        FF.announce('Backup ' + (backup.name || '') + ' made.');
        location.reload();
      }
    } catch (err) {
      button.disabled = false;
      FF.announce('Failed: ' + err.message);
    }
  });

  const keyForm = $('key-create');
  if (keyForm) keyForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    const status = $('key-create-status');
    status.textContent = 'Creating…';
    try {
      const key = await FF.json('/api/v1/api-keys', { method: 'POST', body: FF.formJson(keyForm) });
      status.textContent = 'Created “' + key.name + '”.';
      keyForm.reset();
      const panel = $('key-secret');
      panel.querySelector('[data-secret]').textContent = key.key;
      panel.querySelector('[data-example]').textContent = 'curl -H "Authorization: Bearer ' + key.key + '" ' + location.origin + '/api/v1/files';
      panel.hidden = false;
      panel.focus();
      const res = await FF.api('/admin/keys?fragment=list', { headers: { accept: 'text/html' } });
      if (res.ok) $('key-list').innerHTML = await res.text();
    } catch (err) { status.textContent = 'Not created: ' + err.message; }
  });

})();
`;

/**
 * Script of the sign-in and first-admin setup pages (`/assets/sign-in.js`). A stale access
 * cookie is refreshed silently first; the tenant field stays hidden until a login answers
 * `TENANT_REQUIRED` (the email and password open accounts in several tenants), then shows
 * those tenants to pick from.
 */
export const SIGN_IN_SCRIPT = `
(() => {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const say = (text) => { const m = $('message'); if (m) m.textContent = text; };
  const post = (url, body) => fetch(url, {
    method: 'POST', credentials: 'same-origin',
    headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body || {}),
  });
  const explain = async (res) => {
    try { const b = await res.json(); return b.error ? b.error.message : 'The server answered ' + res.status; }
    catch (_) { return 'The server answered ' + res.status; }
  };
  const fields = (form) => Object.fromEntries(new FormData(form).entries());

  if ($('setup')) $('setup').addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = fields(e.target);
    say('Creating the administrator…');
    const res = await post('/api/v1/setup', body);
    if (!res.ok) return say(await explain(res));
    const login = await post('/api/v1/auth/login', { email: body.email, password: body.password, session: 'cookie' });
    if (login.ok) location.reload(); else say(await explain(login));
  });

  const offerTenants = (tenants) => {
    $('tenant-field').hidden = false;
    $('tenant-choices').replaceChildren(...tenants.map((t) => Object.assign(document.createElement('option'), { value: t })));
    const input = $('tenant-field').querySelector('input');
    input.required = true;
    input.focus();
    say('This email has accounts in several tenants (' + tenants.join(', ') + '): choose one.');
  };

  if ($('login')) {
    post('/api/v1/auth/refresh').then((r) => { if (r.ok) location.reload(); }).catch(() => {});
    $('login').addEventListener('submit', async (e) => {
      e.preventDefault();
      const body = fields(e.target);
      if (!body.tenant) delete body.tenant;
      say('Signing in…');
      const res = await post('/api/v1/auth/login', Object.assign({}, body, { session: 'cookie' }));
      if (res.ok) return location.reload();
      const answer = await res.clone().json().catch(() => ({}));
      if (answer.error && answer.error.code === 'TENANT_REQUIRED') return offerTenants(answer.error.details.tenants);
      say(await explain(res));
    });
  }
})();
`;

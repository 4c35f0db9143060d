/**
 * The web page's script (plain ES2020, no build step). The session lives in HttpOnly
 * cookies the script never sees; state-changing requests go to the same origin only.
 * Uploads use XMLHttpRequest for progress events; a 401 triggers one silent refresh.
 */
export const APP_SCRIPT = `
const $ = (id) => document.getElementById(id);
const say = (text) => { const m = $('message'); if (m) m.textContent = text; };
const post = (url, body) => fetch(url, {
  method: 'POST', credentials: 'same-origin',
  headers: { 'content-type': 'application/json' }, body: JSON.stringify(body || {}),
});
const explain = async (res) => {
  try { const b = await res.json(); return b.error ? b.error.code + ': ' + b.error.message : 'HTTP ' + res.status; }
  catch { return 'HTTP ' + res.status; }
};
const refreshSession = async () => (await post('/api/v1/auth/refresh')).ok;
const fields = (form) => Object.fromEntries(new FormData(form).entries());

if ($('setup')) $('setup').addEventListener('submit', async (e) => {
  e.preventDefault();
  const body = fields(e.target);
  const res = await post('/api/v1/setup', body);
  if (!res.ok) return say(await explain(res));
  const login = await post('/api/v1/auth/login', { ...body, session: 'cookie' });
  if (login.ok) location.reload(); else say(await explain(login));
});

// The same email may hold accounts in several tenants: when the password opens more than one,
// the server answers TENANT_REQUIRED and the tenant field appears with those tenants to pick.
const offerTenants = (tenants) => {
  $('tenant-field').hidden = false;
  $('tenant-choices').replaceChildren(...tenants.map((t) => Object.assign(document.createElement('option'), { value: t })));
  const input = $('tenant-field').querySelector('input');
  input.required = true;
  input.focus();
  say('This email has accounts in several tenants (' + tenants.join(', ') + '): choose one.');
};

if ($('login')) {
  refreshSession().then((ok) => { if (ok) location.reload(); });
  $('login').addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = fields(e.target);
    if (!body.tenant) delete body.tenant;
    const res = await post('/api/v1/auth/login', { ...body, session: 'cookie' });
    if (res.ok) return location.reload();
    const answer = await res.clone().json().catch(() => ({}));
    if (answer.error && answer.error.code === 'TENANT_REQUIRED') return offerTenants(answer.error.details.tenants);
    say(await explain(res));
  });
}

if ($('logout')) $('logout').addEventListener('click', async (e) => {
  e.preventDefault();
  await post('/api/v1/auth/logout');
  location.reload();
});

async function refreshRows() {
  let res = await fetch('/?fragment=rows', { credentials: 'same-origin' });
  if (res.status === 401 && (await refreshSession())) res = await fetch('/?fragment=rows', { credentials: 'same-origin' });
  if (res.ok) $('files').innerHTML = await res.text();
}

function upload(form, retried) {
  const xhr = new XMLHttpRequest();
  xhr.open('POST', form.action);
  xhr.responseType = 'json';
  const progress = $('progress');
  progress.hidden = false;
  progress.value = 0;
  say('Uploading…');
  xhr.upload.onprogress = (e) => { if (e.lengthComputable) progress.value = Math.round((e.loaded / e.total) * 100); };
  xhr.onload = async () => {
    progress.hidden = true;
    if (xhr.status === 401 && !retried && (await refreshSession())) return upload(form, true);
    if (xhr.status === 201) {
      say('Uploaded ' + xhr.response.files.length + ' file(s).');
      form.reset();
    } else {
      const err = xhr.response && xhr.response.error;
      say('Upload refused: ' + (err ? err.code + ' — ' + err.message : 'HTTP ' + xhr.status));
    }
    refreshRows();
  };
  xhr.onerror = () => { progress.hidden = true; say('Upload failed: network error'); };
  xhr.send(new FormData(form));
}

if ($('upload')) {
  $('upload').addEventListener('submit', (e) => { e.preventDefault(); upload(e.target, false); });
  setInterval(() => { if (document.visibilityState === 'visible') refreshRows(); }, 3000);
}
`;

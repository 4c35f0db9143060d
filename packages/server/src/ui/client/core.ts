/**
 * The shared client script (`/ui/assets/core.js`), loaded by every page before the screen's
 * own script. Plain ES2020, no build step. It defines `window.FF`:
 *
 * - `FF.api(url, init)` — `fetch` with the session cookie (same origin only, so the server's
 *   CSRF check passes), a plain object `body` sent as JSON, one silent session refresh on a
 *   401, and a 429 (rate limit) waited out as its `Retry-After` says, up to five times.
 * - `FF.json(url, init)` — the same, answering the parsed body or throwing an `Error` whose
 *   message is the server's error message in words (and `.code`, `.details`, `.status`).
 * - `FF.announce(text)` — writes to the page's polite live region; never moves focus.
 * - `FF.upload(url, formData, { onProgress, onWait, signal })` — an upload with progress
 *   events and cancel (XMLHttpRequest), refreshing the session once on a 401 and sending it
 *   again after a 429's `Retry-After` (`onWait(ms)` says so), up to five times.
 * - `FF.subscribe(onEvent, poll, ms)` — live updates: the server's event stream
 *   (`/api/v1/events`) when it exists, else `poll()` every `ms` while the tab is visible.
 * - `FF.confirm(text, action)` — a modal confirmation (`<dialog>`), resolving true or false.
 * - `FF.formJson(form)` — a form's fields as an object.
 *
 * Links to `/api/…` (downloads) check the session before they are followed, and an `/api/…`
 * image that fails to load is loaded again once the session is refreshed.
 *
 * Declarative hooks: `form[data-ff-form]` posts its fields as JSON to `action` (method from
 * `data-method`), reports errors in its `[role=status]` and then reloads, or goes to
 * `data-ff-next`; `[data-ff-logout]` signs out; `[data-ff-dialog="id"]` opens `<dialog id>`;
 * `[data-ff-confirm]` on a submit button asks first.
 */
export const CORE_SCRIPT = `
(() => {
  'use strict';
  const live = () => document.getElementById('ff-live');
  const announce = (text) => {
    const region = live();
    if (!region) return;
    // Clearing first makes screen readers repeat an identical message.
    region.textContent = '';
    setTimeout(() => { region.textContent = text; }, 50);
  };
  // A 429 (the rate limit) is waited out as its Retry-After says, a few times, then shown.
  const MAX_WAITS = 5;
  const waitMs = (res) => {
    const seconds = Number(res.headers ? res.headers.get('retry-after') : res.getResponseHeader('retry-after'));
    return (Number.isFinite(seconds) && seconds >= 0 ? Math.min(seconds, 60) : 2) * 1000;
  };
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  let refreshing = null;
  const refreshSession = () => {
    if (!refreshing) {
      refreshing = (async () => {
        for (let waits = 0; ; waits++) {
          const r = await fetch('/api/v1/auth/refresh', { method: 'POST', credentials: 'same-origin' }).catch(() => null);
          if (!r) return false;
          if (r.status !== 429 || waits >= MAX_WAITS) return r.ok;
          await sleep(waitMs(r));
        }
      })().finally(() => { setTimeout(() => { refreshing = null; }, 1000); });
    }
    return refreshing;
  };
  const prepare = (init) => {
    const out = Object.assign({ credentials: 'same-origin' }, init || {});
    const headers = new Headers(out.headers || {});
    if (out.body && typeof out.body === 'object' && !(out.body instanceof FormData) && !(out.body instanceof Blob)) {
      out.body = JSON.stringify(out.body);
      headers.set('content-type', 'application/json');
    }
    if (!headers.has('accept')) headers.set('accept', 'application/json');
    out.headers = headers;
    return out;
  };
  const api = async (url, init) => {
    let refreshed = false;
    for (let waits = 0; ; waits++) {
      let res = await fetch(url, prepare(init));
      if (res.status === 401 && !refreshed && (await refreshSession())) {
        refreshed = true;
        res = await fetch(url, prepare(init));
      }
      if (res.status !== 429 || waits >= MAX_WAITS) return res;
      await sleep(waitMs(res));
    }
  };
  const explain = async (res) => {
    const body = await res.clone().json().catch(() => null);
    const err = new Error(body && body.error ? body.error.message : 'The server answered ' + res.status);
    err.code = body && body.error ? body.error.code : 'HTTP_' + res.status;
    err.details = body && body.error ? body.error.details : undefined;
    err.status = res.status;
    return err;
  };
  const json = async (url, init) => {
    const res = await api(url, init);
    if (!res.ok) throw await explain(res);
    if (res.status === 204) return null;
    return res.json().catch(() => null);
  };
  const upload = (url, formData, opts) => new Promise((resolve, reject) => {
    const o = opts || {};
    let waits = 0;
    const send = (retried) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', url);
      xhr.withCredentials = true;
      xhr.responseType = 'json';
      xhr.setRequestHeader('accept', 'application/json');
      if (o.onProgress) xhr.upload.onprogress = (e) => { if (e.lengthComputable) o.onProgress(e.loaded, e.total); };
      xhr.onload = async () => {
        if (xhr.status === 401 && !retried && (await refreshSession())) return send(true);
        // Refused before it was read: send it again once the limit allows.
        if (xhr.status === 429 && waits < MAX_WAITS && !(o.signal && o.signal.aborted)) {
          waits++;
          const ms = waitMs(xhr);
          if (o.onWait) o.onWait(ms);
          return setTimeout(() => send(retried), ms);
        }
        const body = xhr.response;
        if (xhr.status >= 200 && xhr.status < 300) return resolve(body);
        const err = new Error(body && body.error ? body.error.message : 'The server answered ' + xhr.status);
        err.code = body && body.error ? body.error.code : 'HTTP_' + xhr.status;
        err.details = body && body.error ? body.error.details : undefined;
        err.status = xhr.status;
        reject(err);
      };
      xhr.onerror = () => reject(Object.assign(new Error('The connection failed'), { code: 'NETWORK' }));
      xhr.onabort = () => reject(Object.assign(new Error('Cancelled'), { code: 'ABORTED' }));
      if (o.signal) {
        if (o.signal.aborted) return xhr.abort();
        o.signal.addEventListener('abort', () => xhr.abort(), { once: true });
      }
      xhr.send(formData);
    };
    send(false);
  });
  const subscribe = (onEvent, poll, ms) => {
    let timer = null;
    let source = null;
    const startPolling = () => {
      if (timer || !poll) return;
      timer = setInterval(() => { if (document.visibilityState === 'visible') poll(); }, ms || 3000);
    };
    if ('EventSource' in window) {
      let opened = false;
      source = new EventSource('/api/v1/events', { withCredentials: true });
      source.onopen = () => { opened = true; };
      source.onmessage = (e) => { try { onEvent(JSON.parse(e.data)); } catch (_) { /* not JSON */ } };
      source.onerror = () => {
        // Never opened: no event stream on this server (or refused) — poll instead.
        if (!opened) { source.close(); source = null; startPolling(); }
      };
      for (const type of ['file.uploaded', 'file.processed', 'file.classified', 'file.deleted', 'file.failed', 'file.sorted']) {
        source.addEventListener(type, (e) => { try { onEvent(Object.assign({ type }, JSON.parse(e.data))); } catch (_) { /* not JSON */ } });
      }
    } else startPolling();
    return () => { if (timer) clearInterval(timer); if (source) source.close(); };
  };
  const confirmDialog = (text, action) => new Promise((resolve) => {
    const dialog = document.getElementById('ff-confirm');
    if (!dialog || typeof dialog.showModal !== 'function') return resolve(window.confirm(text));
    dialog.querySelector('[data-ff-confirm-text]').textContent = text;
    const ok = dialog.querySelector('[data-ff-confirm-ok]');
    ok.textContent = action || 'Confirm';
    const opener = document.activeElement;
    dialog.returnValue = '';
    dialog.addEventListener('close', () => {
      resolve(dialog.returnValue === 'ok');
      if (opener && opener.isConnected && opener.focus) opener.focus();
    }, { once: true });
    dialog.showModal();
  });
  const formJson = (form) => {
    const out = {};
    for (const [key, value] of new FormData(form).entries()) if (typeof value === 'string') out[key] = value;
    return out;
  };
  window.FF = { api, json, explain, announce, upload, subscribe, confirm: confirmDialog, formJson, refreshSession };

  document.addEventListener('submit', async (e) => {
    const form = e.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute('data-ff-form')) return;
    e.preventDefault();
    const status = form.querySelector('[role=status]');
    const say = (t) => { if (status) status.textContent = t; else announce(t); };
    const submitter = e.submitter;
    if (submitter && submitter.hasAttribute('data-ff-confirm') && !(await confirmDialog(submitter.getAttribute('data-ff-confirm'), submitter.textContent))) return;
    const method = (form.getAttribute('data-method') || form.method || 'post').toUpperCase();
    try {
      say('Working…');
      await json(form.action, { method, body: formJson(form) });
      const next = form.getAttribute('data-ff-next');
      say(form.getAttribute('data-ff-done') || 'Done.');
      if (next) location.assign(next); else if (!form.hasAttribute('data-ff-stay')) location.reload();
    } catch (err) {
      const fields = err.details && err.details.fields ? ' (' + err.details.fields.map((f) => (f.path ? f.path + ': ' : '') + f.message).join('; ') + ')' : '';
      say(err.message + fields);
    }
  });
  // Links and images of the API (downloads, thumbnails, previews) ride on the session cookie,
  // which no fetch refreshes: a link checks the session first (who am I, through FF.api, which
  // refreshes it on a 401), an image that fails to load refreshes it and loads once more.
  document.addEventListener('click', async (e) => {
    const link = e.target instanceof Element ? e.target.closest('a[href^="/api/"]') : null;
    if (!link || link.hasAttribute('data-ff-checked') || e.defaultPrevented || e.button !== 0) return;
    if (e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    await api('/api/v1/auth/me').catch(() => null);
    link.setAttribute('data-ff-checked', '');
    link.click();
    link.removeAttribute('data-ff-checked');
  });
  document.addEventListener('error', (e) => {
    const img = e.target;
    if (!(img instanceof HTMLImageElement) || img.hasAttribute('data-ff-reloaded')) return;
    const src = img.getAttribute('src');
    if (!src || !src.startsWith('/api/')) return;
    img.setAttribute('data-ff-reloaded', '');
    refreshSession().then((ok) => { if (ok) img.src = src + (src.includes('?') ? '&' : '?') + 'r=' + Date.now(); });
  }, true);
  document.addEventListener('click', async (e) => {
    const el = e.target instanceof Element ? e.target.closest('[data-ff-logout],[data-ff-dialog]') : null;
    if (!el) return;
    if (el.hasAttribute('data-ff-logout')) {
      e.preventDefault();
      await fetch('/api/v1/auth/logout', { method: 'POST', credentials: 'same-origin' });
      location.assign('/');
    } else {
      const dialog = document.getElementById(el.getAttribute('data-ff-dialog'));
      if (dialog && dialog.showModal) { e.preventDefault(); dialog.showModal(); }
    }
  });
})();
`;

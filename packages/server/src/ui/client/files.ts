/**
 * Script of the Files screen (`/assets/files.js`): drag-and-drop upload of many files and
 * folders with a progress bar, status and cancel button per file; each file's status kept
 * live (the event stream, else polling) without ever moving focus; multi-select with bulk
 * delete, reprocess, move and re-categorise.
 */
export const FILES_SCRIPT = `
(() => {
  'use strict';
  const FF = window.FF;
  const FINAL = ['processed', 'failed', 'rejected'];
  const TONE = { pending: 'info', processing: 'info', processed: 'ok', failed: 'bad', rejected: 'bad' };
  const $ = (sel, root) => (root || document).querySelector(sel);
  const $$ = (sel, root) => Array.from((root || document).querySelectorAll(sel));
  for (const el of $$('[data-needs-script]')) el.hidden = false;

  // ---- live status -------------------------------------------------------------------
  const names = new Map();      // id -> display name, for announcements
  const watching = new Set();   // ids not yet in a final status
  const setStatus = (id, status) => {
    for (const badge of $$('[data-file-id="' + CSS.escape(id) + '"] [data-status]')) {
      if (badge.getAttribute('data-status') === status) continue;
      badge.setAttribute('data-status', status);
      badge.textContent = status;
      badge.className = 'badge badge-' + (TONE[status] || 'neutral');
    }
  };
  // One status read per file at a time: events and polls arriving meanwhile ask for one more
  // read after it, so under the rate limit the reads never pile up (each would wait out 429s).
  const reading = new Map(); // id → whether another read was asked for meanwhile
  const refresh = async (id) => {
    if (reading.has(id)) { reading.set(id, true); return; }
    reading.set(id, false);
    try { await readStatus(id); } finally {
      const again = reading.get(id);
      reading.delete(id);
      if (again && watching.has(id)) refresh(id);
    }
  };
  const readStatus = async (id) => {
    try {
      const file = await FF.json('/api/v1/files/' + encodeURIComponent(id));
      const before = $('[data-file-id="' + CSS.escape(id) + '"] [data-status]');
      const changed = !before || before.getAttribute('data-status') !== file.status;
      setStatus(id, file.status);
      if (FINAL.includes(file.status)) {
        watching.delete(id);
        if (changed) FF.announce((names.get(id) || file.name) + ': ' + file.status + (file.error ? ' — ' + file.error.message : ''));
      }
    } catch (err) {
      if (err.status === 404) watching.delete(id);
    }
  };
  const pollAll = () => { for (const id of Array.from(watching)) refresh(id); };
  for (const el of $$('[data-file-id]')) {
    const badge = $('[data-status]', el);
    const name = $('.file-name', el);
    if (name) names.set(el.getAttribute('data-file-id'), name.textContent);
    if (badge && !FINAL.includes(badge.getAttribute('data-status'))) watching.add(el.getAttribute('data-file-id'));
  }
  const eventFileId = (e) => (e && (e.fileId || (e.data && (e.data.fileId || e.data.id)) || (e.file && e.file.id))) || null;
  FF.subscribe((event) => {
    const id = eventFileId(event);
    if (id && watching.has(id)) refresh(id);
  }, pollAll, 1500);
  // Even with the event stream, a slow safety poll catches an event missed while reconnecting.
  setInterval(() => { if (document.visibilityState === 'visible' && watching.size) pollAll(); }, 10000);

  // ---- upload ------------------------------------------------------------------------
  const form = $('#upload');
  const queue = $('#upload-queue');
  const zone = $('#drop-zone');
  const CONCURRENCY = 3;
  const pending = [];
  let running = 0;
  const item = (file) => {
    const li = document.createElement('li');
    li.className = 'upload-item';
    const label = document.createElement('span');
    label.className = 'upload-name file-name';
    label.textContent = file.name;
    const bar = document.createElement('progress');
    bar.max = 100; bar.value = 0;
    bar.setAttribute('aria-label', 'Upload progress of ' + file.name);
    const state = document.createElement('span');
    state.className = 'badge badge-info';
    state.setAttribute('data-status', 'waiting');
    state.textContent = 'waiting';
    const cancel = document.createElement('button');
    cancel.type = 'button';
    cancel.className = 'btn btn-small';
    cancel.textContent = 'Cancel';
    cancel.setAttribute('aria-label', 'Cancel upload of ' + file.name);
    li.append(label, bar, state, cancel);
    queue.hidden = false;
    queue.append(li);
    return { li, bar, state, cancel, label };
  };
  const setWord = (el, word, tone) => { el.textContent = word; el.setAttribute('data-status', word); el.className = 'badge badge-' + tone; };
  const next = () => {
    while (running < CONCURRENCY && pending.length) {
      const job = pending.shift();
      if (job.cancelled) continue;
      running++;
      start(job).finally(() => { running--; next(); });
    }
  };
  const start = async (job) => {
    const { file, ui } = job;
    setWord(ui.state, 'uploading', 'info');
    const fd = new FormData();
    fd.append('file', file, file.name);
    try {
      const body = await FF.upload('/api/v1/files', fd, {
        signal: job.controller.signal,
        onProgress: (loaded, total) => { ui.bar.value = Math.round((loaded / total) * 100); },
        onWait: (ms) => { setWord(ui.state, 'waiting ' + Math.ceil(ms / 1000) + ' s', 'info'); ui.bar.value = 0; },
      });
      const record = body && body.files && body.files[0];
      ui.bar.value = 100;
      ui.cancel.remove();
      if (!record) return setWord(ui.state, 'uploaded', 'ok');
      ui.li.setAttribute('data-file-id', record.id);
      names.set(record.id, file.name);
      const link = document.createElement('a');
      link.href = '/files/' + encodeURIComponent(record.id);
      link.className = 'file-name';
      link.textContent = file.name;
      ui.label.replaceWith(link);
      setWord(ui.state, record.status, TONE[record.status] || 'neutral');
      if (FINAL.includes(record.status)) FF.announce(file.name + ': ' + record.status);
      else { watching.add(record.id); FF.announce(file.name + ' uploaded; processing.'); }
    } catch (err) {
      ui.cancel.remove();
      if (err.code === 'ABORTED') { setWord(ui.state, 'cancelled', 'neutral'); FF.announce('Upload of ' + file.name + ' cancelled.'); return; }
      setWord(ui.state, 'refused', 'bad');
      const why = document.createElement('span');
      why.className = 'error-text';
      why.textContent = err.message;
      ui.li.append(why);
      FF.announce(file.name + ' was refused: ' + err.message);
    }
  };
  const enqueue = (files) => {
    if (!files.length) return;
    for (const file of files) {
      const job = { file, ui: item(file), controller: new AbortController(), cancelled: false };
      job.ui.cancel.addEventListener('click', () => {
        job.cancelled = true;
        job.controller.abort();
        if (job.ui.state.getAttribute('data-status') === 'waiting') { setWord(job.ui.state, 'cancelled', 'neutral'); job.ui.cancel.remove(); }
      });
      pending.push(job);
    }
    FF.announce(files.length + (files.length === 1 ? ' file' : ' files') + ' queued for upload.');
    next();
  };
  // Folders dropped: walk their entries (Chromium, Firefox, Safari all offer webkitGetAsEntry).
  const readEntry = (entry) => new Promise((resolve) => {
    if (entry.isFile) return entry.file((f) => resolve([f]), () => resolve([]));
    if (!entry.isDirectory) return resolve([]);
    const reader = entry.createReader();
    const all = [];
    const more = () => reader.readEntries(async (batch) => {
      if (!batch.length) return resolve((await Promise.all(all.map(readEntry))).flat());
      all.push(...batch);
      more();
    }, () => resolve([]));
    more();
  });
  const dropped = async (dt) => {
    const entries = Array.from(dt.items || []).map((i) => (i.webkitGetAsEntry ? i.webkitGetAsEntry() : null));
    if (entries.length && entries.every(Boolean)) return (await Promise.all(entries.map(readEntry))).flat();
    return Array.from(dt.files || []);
  };
  if (form && zone) {
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const input = $('#upload-files');
      enqueue(Array.from(input.files || []));
      form.reset();
    });
    for (const id of ['#upload-files', '#upload-folder']) {
      const input = $(id);
      if (input) input.addEventListener('change', () => { enqueue(Array.from(input.files || [])); input.value = ''; });
    }
    let depth = 0;
    zone.addEventListener('dragenter', (e) => { e.preventDefault(); depth++; zone.classList.add('dragging'); });
    zone.addEventListener('dragleave', () => { depth = Math.max(0, depth - 1); if (!depth) zone.classList.remove('dragging'); });
    zone.addEventListener('dragover', (e) => { e.preventDefault(); if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy'; });
    zone.addEventListener('drop', async (e) => {
      e.preventDefault();
      depth = 0;
      zone.classList.remove('dragging');
      if (e.dataTransfer) enqueue(await dropped(e.dataTransfer));
    });
  }

  // ---- selection and bulk actions ----------------------------------------------------
  const bulk = $('#bulk');
  if (!bulk) return;
  const boxes = () => $$('input.select-file');
  const selected = () => boxes().filter((b) => b.checked);
  const all = $('#select-all');
  const sync = () => {
    const n = selected().length;
    $('#selected-count').textContent = n + ' selected';
    for (const b of $$('[data-bulk],[data-bulk-open]', bulk)) b.disabled = n === 0;
    all.checked = n > 0 && n === boxes().length;
    all.indeterminate = n > 0 && n < boxes().length;
  };
  document.addEventListener('change', (e) => { if (e.target instanceof HTMLInputElement && e.target.classList.contains('select-file')) sync(); });
  all.addEventListener('change', () => { for (const b of boxes()) b.checked = all.checked; sync(); });
  sync();

  const BULK_WORDS = { delete: 'deleted', reprocess: 'queued for processing', move: 'moved', categorize: 're-categorised' };
  // One request for all when the server offers the bulk route; else one request per file.
  const runBulk = async (action, ids, extra) => {
    const res = await FF.api('/api/v1/files/bulk', { method: 'POST', body: Object.assign({ action, ids }, extra || {}) });
    if (res.ok) {
      const body = await res.json().catch(() => ({}));
      const results = Array.isArray(body.results) ? body.results : ids.map((id) => ({ id, ok: true }));
      return results.map((r) => ({ id: r.id, ok: r.ok !== false && !r.error, message: r.error ? r.error.message : '' }));
    }
    if (res.status !== 404 && res.status !== 405) throw await FF.explain(res);
    if (action === 'move') throw new Error('Moving files needs a server with the bulk files API.');
    return Promise.all(ids.map(async (id) => {
      const path = '/api/v1/files/' + encodeURIComponent(id);
      const r = action === 'delete' ? await FF.api(path, { method: 'DELETE' })
        : action === 'reprocess' ? await FF.api(path + '/reprocess', { method: 'POST' })
        : await FF.api(path + '/classification', { method: 'POST', body: { category: extra.category } });
      return { id, ok: r.ok, message: r.ok ? '' : (await FF.explain(r)).message };
    }));
  };
  const act = async (action, extra) => {
    const ids = selected().map((b) => b.value);
    if (!ids.length) return;
    FF.announce('Working on ' + ids.length + (ids.length === 1 ? ' file…' : ' files…'));
    let results;
    try { results = await runBulk(action, ids, extra); } catch (err) { FF.announce(err.message); return; }
    const done = results.filter((r) => r.ok);
    const failed = results.filter((r) => !r.ok);
    for (const r of done) {
      if (action === 'delete') {
        for (const el of $$('[data-file-id="' + CSS.escape(r.id) + '"]')) if (!el.classList.contains('upload-item')) el.remove();
      } else if (action === 'reprocess') { setStatus(r.id, 'pending'); watching.add(r.id); }
    }
    if (action === 'delete' && document.activeElement === document.body) all.focus();
    for (const b of boxes()) b.checked = false;
    sync();
    FF.announce(done.length + (done.length === 1 ? ' file ' : ' files ') + BULK_WORDS[action] + '.' +
      (failed.length ? ' ' + failed.length + ' not: ' + failed.map((f) => f.message).join('; ') : ''));
    if (action === 'move' || action === 'categorize') setTimeout(() => location.reload(), 800);
  };
  for (const b of $$('[data-bulk]', bulk)) {
    b.addEventListener('click', async () => {
      const action = b.getAttribute('data-bulk');
      const n = selected().length;
      if (action === 'delete' && !(await FF.confirm('Delete ' + n + (n === 1 ? ' file' : ' files') + '? This cannot be undone.', 'Delete'))) return;
      act(action);
    });
  }
  for (const f of $$('form[data-bulk-form]')) {
    f.addEventListener('submit', (e) => {
      if (e.submitter && e.submitter.value === 'cancel') return;
      const action = f.getAttribute('data-bulk-form');
      const data = FF.formJson(f);
      act(action, action === 'move' ? { path: data.folder } : { category: data.category });
      f.reset();
    });
  }
})();
`;

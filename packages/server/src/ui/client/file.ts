/**
 * Script of a file's page (`/assets/file.js`): image zoom, reprocess and delete (with a
 * confirmation), the status kept live while processing runs (a notice offers the new
 * results instead of reloading under the reader), and a waveform drawn from the audio's
 * samples when the server made none.
 */
export const FILE_SCRIPT = `
(() => {
  'use strict';
  const FF = window.FF;
  const FINAL = ['processed', 'failed', 'rejected'];
  const TONE = { pending: 'info', processing: 'info', processed: 'ok', failed: 'bad', rejected: 'bad' };
  const page = document.querySelector('.file-page');
  if (!page) return;
  for (const el of document.querySelectorAll('[data-needs-script]')) el.hidden = false;
  const id = page.getAttribute('data-file-id');
  const name = page.getAttribute('data-file-name');
  const url = '/api/v1/files/' + encodeURIComponent(id);
  const badge = page.querySelector('.file-header [data-status]');
  const live = document.getElementById('file-live');

  // Zoom: fit, 100 %, 200 % (buttons say which is pressed).
  const preview = document.getElementById('preview');
  for (const button of document.querySelectorAll('[data-zoom]')) {
    button.addEventListener('click', () => {
      preview.className = 'preview zoom-' + button.getAttribute('data-zoom');
      for (const b of document.querySelectorAll('[data-zoom]')) b.setAttribute('aria-pressed', String(b === button));
      FF.announce('Zoom: ' + button.textContent.trim());
    });
  }

  // Live status while processing runs.
  let current = badge ? badge.getAttribute('data-status') : 'processed';
  const setStatus = (status) => {
    if (!badge || status === current) return;
    current = status;
    badge.setAttribute('data-status', status);
    badge.textContent = status;
    badge.className = 'badge badge-' + (TONE[status] || 'neutral');
    if (FINAL.includes(status)) {
      live.hidden = false;
      live.textContent = '';
      live.append('Processing finished: ' + status + '. ');
      const a = document.createElement('a');
      a.href = location.pathname;
      a.textContent = 'Show the new results';
      live.append(a);
    }
    FF.announce(name + ': ' + status);
  };
  const check = async () => {
    if (FINAL.includes(current)) return;
    try { setStatus((await FF.json(url)).status); } catch (_) { /* next time */ }
  };
  let stop = null;
  const watch = () => {
    if (stop) return;
    stop = FF.subscribe((e) => {
      const fid = e && (e.fileId || (e.data && (e.data.fileId || e.data.id)) || (e.file && e.file.id));
      if (fid === id) check();
    }, check, 1500);
  };
  if (!FINAL.includes(current)) watch();

  const reprocess = document.querySelector('[data-file-action="reprocess"]');
  if (reprocess) reprocess.addEventListener('click', async () => {
    try {
      await FF.json(url + '/reprocess', { method: 'POST' });
      current = '';
      setStatus('pending');
      FF.announce(name + ' queued for processing again.');
      watch();
    } catch (err) { FF.announce('Reprocess refused: ' + err.message); }
  });
  const del = document.querySelector('[data-file-action="delete"]');
  if (del) del.addEventListener('click', async () => {
    if (!(await FF.confirm('Delete “' + name + '”? This cannot be undone.', 'Delete'))) return;
    try {
      await FF.json(url, { method: 'DELETE' });
      location.assign('/?deleted=' + encodeURIComponent(name));
    } catch (err) { FF.announce('Delete refused: ' + err.message); }
  });

  // A waveform drawn from the samples, when the server made no waveform image.
  const canvas = document.querySelector('canvas[data-waveform-src]');
  if (canvas && window.OfflineAudioContext) {
    FF.api(canvas.getAttribute('data-waveform-src')).then((r) => r.arrayBuffer()).then((bytes) => {
      const ctx = new OfflineAudioContext(1, 44100, 44100);
      return ctx.decodeAudioData(bytes);
    }).then((audio) => {
      const data = audio.getChannelData(0);
      const g = canvas.getContext('2d');
      const w = canvas.width, h = canvas.height, step = Math.max(1, Math.floor(data.length / w));
      g.fillStyle = getComputedStyle(document.body).getPropertyValue('--accent') || '#0a58a8';
      for (let x = 0; x < w; x++) {
        let peak = 0;
        for (let i = x * step; i < (x + 1) * step && i < data.length; i++) peak = Math.max(peak, Math.abs(data[i]));
        const bar = Math.max(1, peak * h);
        g.fillRect(x, (h - bar) / 2, 1, bar);
      }
    }).catch(() => { canvas.hidden = true; });
  }
})();
`;

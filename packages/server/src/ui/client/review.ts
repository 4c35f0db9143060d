/**
 * The review queue's script (`/ui/assets/review.js`): one click confirms the classifier's
 * guess, or a typed category corrects it; the file then leaves the queue, the count says how
 * many are left, and focus moves to the next file's first control (never back to the top).
 */
export const REVIEW_SCRIPT = `
(() => {
  'use strict';
  const queue = document.getElementById('review-queue');
  if (!queue) return;
  const count = document.getElementById('review-count');
  const remaining = () => queue.querySelectorAll('[data-review-item]').length;
  const say = (n) => (n === 0 ? 'No files are waiting for review.' : n + ' file' + (n === 1 ? '' : 's') + ' waiting for review.');

  queue.addEventListener('submit', async (e) => {
    const form = e.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute('data-review-form')) return;
    e.preventDefault();
    const item = form.closest('[data-review-item]');
    const submitter = e.submitter;
    const category = submitter && submitter.name === 'confirm' ? submitter.value : form.elements.namedItem('category').value.trim();
    const status = item.querySelector('[data-review-status]');
    if (!category) { status.textContent = 'Type a category first.'; form.elements.namedItem('category').focus(); return; }
    for (const b of form.querySelectorAll('button')) b.disabled = true;
    status.textContent = 'Saving…';
    try {
      await FF.json('/api/v1/files/' + encodeURIComponent(item.dataset.fileId) + '/classification', { method: 'POST', body: { category } });
      const next = item.nextElementSibling || item.previousElementSibling;
      item.remove();
      const n = remaining();
      count.textContent = say(n);
      if (n === 0) {
        document.getElementById('review-empty').hidden = false;
        document.getElementById('review-heading').focus();
      } else if (next) {
        const target = next.querySelector('button, input, a');
        if (target) target.focus();
      }
      FF.announce('“' + item.dataset.fileName + '” filed as ' + category + '. ' + say(n));
    } catch (err) {
      for (const b of form.querySelectorAll('button')) b.disabled = false;
      status.textContent = 'Not saved: ' + err.message;
    }
  });

  const train = document.getElementById('review-train');
  if (train) train.addEventListener('click', async () => {
    train.disabled = true;
    try {
      const model = await FF.json('/api/v1/classifier/train', { method: 'POST' });
      FF.announce('Retrained on ' + model.labelCount + ' labels: ' + model.categories.join(', ') + '.');
    } catch (err) {
      FF.announce('Not retrained: ' + err.message);
    } finally { train.disabled = false; }
  });
})();
`;

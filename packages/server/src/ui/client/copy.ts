/**
 * `copy.js`: a `[data-copy="<selector>"]` button copies that element's text to the
 * clipboard and says so in the live region (secrets shown once, restore commands).
 */
export const COPY_SCRIPT = `
(() => {
  'use strict';
  document.addEventListener('click', async (e) => {
    const button = e.target instanceof Element ? e.target.closest('[data-copy]') : null;
    if (!button) return;
    const source = document.querySelector(button.dataset.copy);
    try { await navigator.clipboard.writeText(source ? source.textContent : ''); FF.announce('Copied.'); }
    catch (_) { FF.announce('Copy failed: select the text and copy it.'); }
  });
})();
`;

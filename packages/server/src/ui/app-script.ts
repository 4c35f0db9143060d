/**
 * The start page's script: uploads the chosen files with XMLHttpRequest (for progress
 * events), then reloads the list. Plain ES2020, no build step.
 */
export const APP_SCRIPT = `
const form = document.getElementById('upload');
const progress = document.getElementById('progress');
const message = document.getElementById('message');
async function refresh() {
  const res = await fetch('/?fragment=rows', { headers: { accept: 'text/html' } });
  if (res.ok) document.getElementById('files').innerHTML = await res.text();
}
form.addEventListener('submit', (event) => {
  event.preventDefault();
  const data = new FormData(form);
  const xhr = new XMLHttpRequest();
  xhr.open('POST', form.action);
  xhr.responseType = 'json';
  progress.hidden = false;
  progress.value = 0;
  message.textContent = 'Uploading…';
  xhr.upload.onprogress = (e) => { if (e.lengthComputable) progress.value = Math.round((e.loaded / e.total) * 100); };
  xhr.onload = () => {
    progress.hidden = true;
    if (xhr.status === 201) {
      message.textContent = 'Uploaded ' + xhr.response.files.length + ' file(s).';
      form.reset();
    } else {
      const err = xhr.response && xhr.response.error;
      message.textContent = 'Upload refused: ' + (err ? err.code + ' — ' + err.message : 'HTTP ' + xhr.status);
    }
    refresh();
  };
  xhr.onerror = () => { progress.hidden = true; message.textContent = 'Upload failed: network error'; };
  xhr.send(data);
});
setInterval(() => { if (document.visibilityState === 'visible') refresh(); }, 3000);
`;

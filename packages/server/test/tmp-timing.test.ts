import { it } from 'vitest';
import { request } from 'node:http';
import { makePng } from './support/fixtures.js';
import { startTestServer } from './support/server.js';
it('t', async () => {
  const s = await startTestServer();
  const { url } = s;
  const form = new FormData();
  form.append('file', new File([makePng(8, 8)], 'setup.exe', { type: 'text/plain' }));
  const res = await fetch(`${url}/api/v1/files`, { method: 'POST', body: form });
  const id = ((await res.json()) as {files:{id:string}[]}).files[0]!.id;
  const d = `${url}/api/v1/files/${id}${process.env.PATHX ?? '/download'}`;
  if (process.env.NODEHTTP) {
    await new Promise<void>((resolve) => request(d, (r) => { r.resume(); r.on('end', () => { console.log('hdrs', r.headers); resolve(); }); }).end());
  } else {
    const r = await fetch(d); await r.arrayBuffer();
  }
  await new Promise(r => setTimeout(r, +(process.env.WAIT ?? 0)));
  let t = Date.now();
  await s.server.close();
  console.log('close', Date.now() - t);
});

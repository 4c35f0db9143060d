import type { FileRecord } from '@fileforge/core';
import { afterEach, describe, expect, it } from 'vitest';
import { bearer, jsonBody, login, uploadForm, yamlBody } from './support/access-server.js';
import {
  authedFetch,
  eventually,
  startTestServer,
  stopTestServers,
  type TestServer,
} from './support/server.js';

afterEach(stopTestServers);

interface Run {
  id: string;
  fileId: string | null;
  status: string;
  trigger: { kind: string };
}

/** Reprocesses every processed file: what `POST /files/{id}/reprocess` does, which editors may do only to their own files. */
const REPROCESS_YAML = `
name: reprocess-everything
on: { event: file.processed }
steps:
  again: { uses: process, with: { force: true } }
`;

async function editorOf(server: TestServer) {
  const email = 'editor@example.test';
  const password = 'correct horse battery staple';
  await server.server.auth.createUser({ email, password, role: 'editor', tenant: 'default' });
  const { accessToken } = await login(server.url, email, password);
  return authedFetch(server.url, bearer(accessToken));
}

async function upload(api: TestServer['api'], name: string): Promise<string> {
  const res = await api('/api/v1/files', { method: 'POST', body: uploadForm(name, `${name}\n`) });
  expect(res.status, await res.clone().text()).toBe(201);
  return ((await res.json()) as { files: { id: string }[] }).files[0]!.id;
}

const runsOf = async (api: TestServer['api'], workflowId: string) =>
  ((await (await api(`/api/v1/workflows/${workflowId}/runs`)).json()) as { items: Run[] }).items;

/** Delivers the file's `file.processed` again (as the outbox does after a crash) and waits for its listeners. */
async function processedAgain(server: TestServer, fileId: string, eventId: string) {
  const file = (await server.forge.files.get(fileId, { tenant: 'default' })) as FileRecord;
  await server.forge.events.deliver('file.processed', {
    eventId,
    tenant: 'default',
    file,
    timestamp: new Date().toISOString(),
  });
}

describe('event-triggered workflows and the permission table', () => {
  it("regression: an editor's event-triggered workflow never changes a file the editor may not change", async () => {
    const server = await startTestServer();
    const editor = await editorOf(server);
    const saved = await editor('/api/v1/workflows', yamlBody('POST', REPROCESS_YAML));
    expect(saved.status, await saved.clone().text()).toBe(201);
    const workflow = (await saved.json()) as { id: string };

    const adminFile = await upload(server.api, 'admins.txt');
    const editorFile = await upload(editor, 'editors.txt');

    // The editor's own file is reprocessed, as the editor could do by hand.
    await eventually(async () => {
      const runs = await runsOf(editor, workflow.id);
      return runs.some((r) => r.fileId === editorFile && r.status === 'completed') ? runs : undefined;
    }, "the editor's file was never reprocessed by the workflow");
    // The admin's file, which the editor may not reprocess (403 by hand), gets no run at all,
    // however often its event is delivered.
    await processedAgain(server, adminFile, 'evt_admin_file_again');
    await server.forge.queue.onIdle();
    const byHand = await editor(`/api/v1/files/${adminFile}/reprocess`, { method: 'POST' });
    expect(byHand.status).toBe(403);
    expect((await runsOf(server.api, workflow.id)).map((r) => r.fileId)).toEqual([editorFile]);

    // Saved again by an admin, the workflow acts with the admin's rights: the admin's file too.
    const resaved = await server.api(`/api/v1/workflows/${workflow.id}`, yamlBody('PUT', REPROCESS_YAML));
    expect(resaved.status, await resaved.clone().text()).toBe(200);
    expect(await resaved.json()).not.toHaveProperty('savedBy');
    await processedAgain(server, adminFile, 'evt_admin_file_after_admin_saved');
    const onAdminFile = await eventually(async () => {
      const run = (await runsOf(server.api, workflow.id)).find((r) => r.fileId === adminFile);
      return run?.status === 'completed' ? run : undefined;
    }, "the admin's workflow never ran on the admin's file");
    expect(onAdminFile.trigger.kind).toBe('event');

    // A manual run by the editor on the admin's file stays refused, as before.
    const manual = await editor(
      `/api/v1/workflows/${workflow.id}/runs`,
      jsonBody('POST', { fileId: adminFile }),
    );
    expect(manual.status).toBe(403);
  });
});

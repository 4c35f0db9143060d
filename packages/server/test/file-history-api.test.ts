/**
 * `GET /api/v1/files/{id}/history`: the file page's history — the file's events in order with
 * their delivery state, the workflow runs about it with their steps, and (for admins) its
 * audit entries; another tenant's file is 404.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  eventually,
  type FileResource,
  startTestServer,
  stopTestServers,
  waitForFinal,
} from './support/server.js';

afterEach(stopTestServers);

interface History {
  events: Array<{
    type: string;
    status: string | null;
    details: Record<string, unknown>;
    delivery: { deliveredAt: string | null };
  }>;
  workflowRuns: Array<{
    id: string;
    workflowId: string;
    fileId: string;
    status: string;
    steps: Array<{ name: string; status: string }>;
  }>;
  audit: Array<{ action: string }> | null;
}

describe('file history API', () => {
  it("shows a file's events, its workflow runs and its audit entries", async () => {
    const { api, forge } = await startTestServer();
    forge.workflows.registerStep({
      name: 'test.note',
      options: z.object({}),
      async run() {
        return { noted: true };
      },
    });
    const workflow = await forge.workflows.define({
      name: 'note',
      on: { manual: true },
      steps: { note: { uses: 'test.note' } },
    });
    const form = new FormData();
    form.append('file', new File([Buffer.from('history of a file\n')], 'story.txt'));
    const [file] = (
      (await (await api('/api/v1/files', { method: 'POST', body: form })).json()) as { files: FileResource[] }
    ).files;
    await waitForFinal(api, file!.id);
    const run = await forge.workflows.run(workflow.id, { fileId: file!.id });
    await eventually(
      async () => (await forge.workflows.getRun(run.id)).status === 'completed' || undefined,
      'run completes',
    );
    await (await api(`/api/v1/files/${file!.id}/download`)).arrayBuffer();

    const history = await eventually(async () => {
      const res = await api(`/api/v1/files/${file!.id}/history`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as History;
      return body.events.some((e) => e.type === 'file.processed' && e.delivery.deliveredAt)
        ? body
        : undefined;
    }, 'file.processed is delivered');
    const types = history.events.map((e) => e.type);
    expect(types.slice(0, 2)).toEqual(['file.uploaded', 'file.processed']);
    expect(history.events[1]!.status).toBe('processed');
    // The default pipeline is a workflow too: its run is part of the file's history.
    expect(history.workflowRuns.length).toBeGreaterThanOrEqual(2);
    const mine = history.workflowRuns.find((r) => r.id === run.id);
    expect(mine).toMatchObject({ workflowId: workflow.id, fileId: file!.id, status: 'completed' });
    expect(mine!.steps.map((s) => [s.name, s.status])).toEqual([['note', 'completed']]);
    expect(history.workflowRuns[0]!.id).toBe(run.id);
    expect(history.audit?.map((a) => a.action)).toEqual(
      expect.arrayContaining(['file.upload', 'file.download']),
    );

    expect((await api('/api/v1/files/01m89x19j1mxtrcxkbagdagbb0/history')).status).toBe(404);
  });
});

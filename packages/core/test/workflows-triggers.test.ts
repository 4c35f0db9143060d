import { Readable } from 'node:stream';
import type { FileEvent, ForgeLogger, WorkflowStepKind } from '@fileforge/core';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { cleanUp, makeForge, recordingStep, waitForRun } from './support/workflow-forge.js';

afterEach(cleanUp);

const text = (s: string) => Readable.from([Buffer.from(s)]);

async function settle(forge: Awaited<ReturnType<typeof makeForge>>) {
  // Runs enqueue jobs from event listeners: wait until nothing is left twice in a row.
  await forge.queue.onIdle();
  await new Promise((r) => setTimeout(r, 50));
  await forge.queue.onIdle();
}

describe('workflow triggers', () => {
  it('starts a run for a matching file event only, with the file in scope', async () => {
    const log: string[] = [];
    const forge = await makeForge({ workflows: { steps: [recordingStep(log)] } });
    const wf = await forge.workflows.define(`
name: notes
on:
  event: file.processed
  filter: { field: name, op: glob, value: "*.txt" }
steps:
  hello: { uses: test.record, with: { label: "{{ file.name }}" } }
`);
    const note = await forge.ingest(text('a note\n'), { name: 'note.txt' });
    await forge.ingest(text('# readme\n'), { name: 'readme.md' });
    await settle(forge);
    const runs = await forge.workflows.listRuns(wf.id);
    expect(runs.items.map((r) => [r.fileId, r.status, r.trigger.kind])).toEqual([
      [note.id, 'completed', 'event'],
    ]);
    expect(log).toEqual(['note.txt:start', 'note.txt:end']);
  });

  it('a run is never triggered again by the events it causes itself', async () => {
    const forge = await makeForge();
    const wf = await forge.workflows.define({
      name: 'reprocess',
      on: { event: 'file.processed' },
      steps: { again: { uses: 'process', with: { force: true } } },
    });
    const caused: Array<FileEvent['causedBy']> = [];
    forge.events.on('file.processed', (e) => {
      caused.push(e.causedBy);
    });
    await forge.ingest(text('loop?\n'), { name: 'loop.txt' });
    await settle(forge);
    const runs = await forge.workflows.listRuns(wf.id);
    expect(runs.items).toHaveLength(1);
    expect(runs.items[0]?.status).toBe('completed');
    // The pipeline's own event, then the one the run caused (marked with the run).
    expect(caused).toEqual([undefined, { workflowId: wf.id, runId: runs.items[0]?.id, depth: 0 }]);
  });

  it('an event delivered twice starts one run', async () => {
    const log: string[] = [];
    const forge = await makeForge({ workflows: { steps: [recordingStep(log)] } });
    const wf = await forge.workflows.define({
      name: 'once',
      on: { event: 'file.uploaded' },
      steps: { s: { uses: 'test.record', with: { label: 'once' } } },
    });
    let first: FileEvent | undefined;
    forge.events.on('file.uploaded', (e) => {
      first ??= e;
    });
    await forge.ingest(text('x\n'), { name: 'x.txt' });
    await settle(forge);
    expect(first).toBeDefined();
    // Redelivery, as after a crash between a listener and the outbox mark.
    await forge.events.deliver('file.uploaded', first as FileEvent);
    await settle(forge);
    expect((await forge.workflows.listRuns(wf.id)).items).toHaveLength(1);
    expect(log).toEqual(['once:start', 'once:end']);
  });

  it('stops chains deeper than maxDepth with a warning', async () => {
    const warnings: string[] = [];
    const logger: ForgeLogger = {
      debug() {},
      info() {},
      warn: (_o, m) => warnings.push(m ?? ''),
      error() {},
    };
    const log: string[] = [];
    const forge = await makeForge({ logger, workflows: { steps: [recordingStep(log)], maxDepth: 2 } });
    const wf = await forge.workflows.define({
      name: 'deep',
      on: { event: 'file.processed' },
      steps: { s: { uses: 'test.record', with: { label: 'deep' } } },
    });
    const file = await forge.ingest(text('x\n'), { name: 'x.txt' });
    await settle(forge);
    const record = await forge.files.get(file.id);
    const event = (depth: number) => ({
      eventId: `evt_depth_${depth}`,
      tenant: 'default',
      file: record!,
      timestamp: new Date().toISOString(),
      causedBy: { workflowId: 'another', runId: 'r', depth },
    });
    await forge.events.deliver('file.processed', event(1)); // run at depth 2: allowed
    await forge.events.deliver('file.processed', event(2)); // would be depth 3: stopped
    await settle(forge);
    const runs = (await forge.workflows.listRuns(wf.id)).items;
    expect(runs.map((r) => r.depth).sort()).toEqual([0, 2]);
    expect(warnings.some((w) => w.includes('deeper than 2'))).toBe(true);
  });

  it('runs a workflow on its cron schedule', async () => {
    let ticks = 0;
    const tick: WorkflowStepKind = {
      name: 'test.tick',
      options: z.object({}),
      async run(context) {
        ticks++;
        return { trigger: context.run.id };
      },
    };
    const forge = await makeForge({ workflows: { steps: [tick] } });
    const wf = await forge.workflows.define({
      name: 'every-second',
      on: { schedule: '* * * * * *' },
      steps: { t: { uses: 'test.tick' } },
    });
    let runs = (await forge.workflows.listRuns(wf.id)).items;
    const deadline = Date.now() + 10_000;
    while (runs.length === 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      runs = (await forge.workflows.listRuns(wf.id)).items;
    }
    const [run] = runs;
    expect(run?.trigger).toMatchObject({ kind: 'schedule', schedule: '* * * * * *' });
    expect((await waitForRun(forge, run!.id)).status).toBe('completed');
    expect(ticks).toBeGreaterThanOrEqual(1);
    // Disabled: the schedule stops.
    await forge.workflows.update(wf.id, { ...wf.definition, enabled: false });
    const count = (await forge.workflows.listRuns(wf.id)).items.length;
    await new Promise((r) => setTimeout(r, 1200));
    await settle(forge);
    expect((await forge.workflows.listRuns(wf.id)).items.length).toBe(count);
  });

  it('names a tick whose timer fired late by its scheduled time, as a forge on time would', async () => {
    const forge = await makeForge({ workflows: { steps: [recordingStep([], 'test.tick')] } });
    const wf = await forge.workflows.define({
      name: 'every-two-seconds',
      on: { schedule: '*/2 * * * * *' },
      steps: { t: { uses: 'test.tick', with: { label: 'tick' } } },
    });
    // Hold the event loop from before the next tick until 1.3 s past it: its timer fires late.
    const next = Math.ceil((Date.now() + 300) / 2000) * 2000;
    const pause = new Int32Array(new SharedArrayBuffer(4));
    while (Date.now() < next + 1300) Atomics.wait(pause, 0, 0, 20);
    const ticks = async () =>
      (await forge.workflows.listRuns(wf.id)).items.map((r) => (r.trigger as { at: string }).at);
    const deadline = Date.now() + 10_000;
    let seen = await ticks();
    while (!seen.some((at) => Date.parse(at) >= next) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      seen = await ticks();
    }
    // The late tick is named by its scheduled second; every run by one of the schedule's.
    expect(seen).toContain(new Date(next).toISOString());
    expect(seen.every((at) => Date.parse(at) % 2000 === 0)).toBe(true);
  });

  it('starts no scheduled run once close() has begun, while extensions are still closing', async () => {
    /** When each run's step ran. */
    const ticks: number[] = [];
    const tick: WorkflowStepKind = {
      name: 'test.tick',
      options: z.object({}),
      async run() {
        ticks.push(Date.now());
        return {};
      },
    };
    const forge = await makeForge({
      workflows: { steps: [tick] },
      // Finishes what it has in flight for 2.5 s, as the webhooks extension does its deliveries.
      extensions: [{ name: 'slow', close: () => new Promise((r) => setTimeout(r, 2500)) }],
    });
    await forge.workflows.define({
      name: 'every-second-until-close',
      on: { schedule: '* * * * * *' },
      steps: { t: { uses: 'test.tick' } },
    });
    const deadline = Date.now() + 10_000;
    while (ticks.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(ticks.length).toBeGreaterThan(0);
    // Within 50 ms of the first run's step, a second before the next tick.
    const closing = Date.now();
    await forge.close();
    // Two or three ticks fell inside the close: none started a run.
    expect(ticks.filter((at) => at > closing)).toEqual([]);
  });

  it('starts no scheduled run once another process sharing the catalog disabled the workflow', async () => {
    const forge = await makeForge({ workflows: { steps: [recordingStep([], 'test.tick')] } });
    const wf = await forge.workflows.define({
      name: 'every-second-elsewhere',
      on: { schedule: '* * * * * *' },
      steps: { t: { uses: 'test.tick', with: { label: 'tick' } } },
    });
    // What another forge's update writes: this forge's own timers were never told.
    await forge.catalog.db!()
      .updateTable('workflows')
      .set({ enabled: 0, updated_at: new Date(Date.now() + 1).toISOString() })
      .where('id', '=', wf.id)
      .execute();
    // A tick may have come between the two writes; none after the second.
    const before = (await forge.workflows.listRuns(wf.id)).items.length;
    await new Promise((r) => setTimeout(r, 2500));
    await settle(forge);
    expect((await forge.workflows.listRuns(wf.id)).items).toHaveLength(before);
  });

  it('refuses a schedule in an unknown time zone, and a stored one never stops the forge from starting', async () => {
    const errors: string[] = [];
    const logger: ForgeLogger = {
      debug() {},
      info() {},
      warn() {},
      error: (_o, m) => void errors.push(m ?? ''),
    };
    const forge = await makeForge({ logger });
    const definition = {
      name: 'nightly',
      on: { schedule: '0 3 * * *', timezone: 'Mars/Olympus' },
      steps: { a: { uses: 'process' } },
    };
    await expect(forge.workflows.define(definition)).rejects.toMatchObject({
      code: 'WORKFLOW_INVALID',
      details: { problems: [{ rule: 'schema', path: 'on.timezone' }] },
    });
    expect(await forge.workflows.list()).toHaveLength(0);
    // A definition stored before this check (written straight into the catalog): the forge
    // still starts, skips that schedule and says why.
    const wf = await forge.workflows.define({
      ...definition,
      on: { schedule: '0 3 * * *', timezone: 'UTC' },
    });
    await forge.catalog.db!()
      .updateTable('workflows')
      .set({ definition: JSON.stringify({ ...wf.definition, on: definition.on }) })
      .where('id', '=', wf.id)
      .execute();
    const dataDir = forge.options.dataDir;
    await forge.close();
    const again = await makeForge({ dataDir, logger });
    expect((await again.workflows.list()).map((w) => w.id)).toEqual([wf.id]);
    expect(errors).toContain(
      'workflow schedule cannot run: the trigger is skipped until the workflow is fixed',
    );
  });

  it('manual runs take a file and input; the SDK refuses a definition the linter flags', async () => {
    const log: string[] = [];
    const forge = await makeForge({ workflows: { steps: [recordingStep(log)] } });
    await expect(
      forge.workflows.define({ name: 'bad', on: { manual: true }, steps: { a: { uses: 'nope' } } }),
    ).rejects.toMatchObject({
      code: 'WORKFLOW_INVALID',
      details: { problems: [{ rule: 'unknown-step-kind' }] },
    });
    const wf = await forge.workflows.define({
      name: 'manual',
      on: { manual: true },
      steps: { a: { uses: 'test.record', with: { label: '{{ input.who }}/{{ file.name }}' } } },
    });
    await expect(forge.workflows.define({ ...wf.definition })).rejects.toMatchObject({ code: 'CONFLICT' });
    const file = await forge.ingest(text('x\n'), { name: 'in.txt' });
    const run = await forge.workflows.run(wf.id, { fileId: file.id, input: { who: 'me' } });
    expect((await waitForRun(forge, run.id)).status).toBe('completed');
    expect(log).toEqual(['me/in.txt:start', 'me/in.txt:end']);
    await expect(forge.workflows.getRun(run.id, { tenant: 'other' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await forge.workflows.remove(wf.id);
    await expect(forge.workflows.getRun(run.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('a watch trigger runs for files ingested from its folder only', async () => {
    const log: string[] = [];
    const forge = await makeForge({ workflows: { steps: [recordingStep(log)] } });
    const wf = await forge.workflows.define({
      name: 'inbox',
      on: { watch: { folder: '/srv/inbox' } },
      steps: { s: { uses: 'test.record', with: { label: '{{ file.name }}' } } },
    });
    const watched = (name: string, folder: string, path = name) =>
      forge.ingest(text('x\n'), { name, source: 'watch', metadata: { watch: { folder, path } } });
    const top = await watched('top.txt', '/srv/inbox');
    await watched('deep.txt', '/srv/inbox', 'sub/deep.txt');
    await watched('other.txt', '/srv/elsewhere');
    await forge.ingest(text('x\n'), { name: 'upload.txt' });
    await settle(forge);
    const runs = (await forge.workflows.listRuns(wf.id)).items;
    expect(runs.map((r) => [r.fileId, r.trigger.kind, r.status])).toEqual([[top.id, 'watch', 'completed']]);
    expect(log).toEqual(['top.txt:start', 'top.txt:end']);
  });

  it('file.sorted is stored delivered while no workflow triggers on it, and triggers one defined later', async () => {
    const log: string[] = [];
    const forge = await makeForge({ workflows: { steps: [recordingStep(log)] } });
    const [a, b] = [
      await forge.ingest(text('a\n'), { name: 'a.txt' }),
      await forge.ingest(text('b\n'), { name: 'b.txt' }),
    ];
    await settle(forge);
    const rules = [{ id: 'docs', conditions: [], destination: 'docs/{name}{ext}' }];
    const sortedEvent = async (id: string) =>
      (await forge.catalog.outbox.listStream(`default/${id}`, { limit: 20 })).find(
        (e) => e.type === 'file.sorted',
      );
    // Nothing wants file.sorted: no pass reads it back.
    await forge.sorter.apply({ fileIds: [a!.id], rules });
    const unheard = await sortedEvent(a!.id);
    expect(unheard?.deliveredAt).toBe(unheard?.createdAt);
    // A workflow on it: the next sort's event is delivered to the trigger and starts a run.
    const wf = await forge.workflows.define({
      name: 'on-sorted',
      on: { event: 'file.sorted' },
      steps: { s: { uses: 'test.record', with: { label: '{{ file.name }}' } } },
    });
    await forge.sorter.apply({ fileIds: [b!.id], rules });
    await settle(forge);
    const runs = (await forge.workflows.listRuns(wf.id)).items;
    expect(runs.map((r) => [r.fileId, r.trigger.kind])).toEqual([[b!.id, 'event']]);
    expect(log).toEqual(['b.txt:start', 'b.txt:end']);
    // Removed: stored delivered again.
    await forge.workflows.remove(wf.id);
    await forge.sorter.apply({
      fileIds: [a!.id],
      rules: [{ ...rules[0], destination: 'moved/{name}{ext}' }],
    });
    const again = (await forge.catalog.outbox.listStream(`default/${a!.id}`, { limit: 20 })).filter(
      (e) => e.type === 'file.sorted',
    );
    expect(again).toHaveLength(2);
    expect(again[1]?.deliveredAt).toBe(again[1]?.createdAt);
  });
});

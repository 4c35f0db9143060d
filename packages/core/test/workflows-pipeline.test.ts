import { Readable } from 'node:stream';
import {
  ErrorCode,
  FileForgeError,
  type Forge,
  PIPELINE_WORKFLOW_ID,
  type Processor,
  type WorkflowStepKind,
} from '@fileforge/core';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { cleanUp, makeForge } from './support/workflow-forge.js';

afterEach(cleanUp);

/** The default pipeline's runs of a file, with their steps, straight from the catalog. */
async function pipelineRuns(forge: Forge, fileId: string) {
  const db = forge.catalog.db!();
  const runs = await db
    .selectFrom('workflow_runs')
    .select(['id', 'status', 'attempt'])
    .where('workflow_id', '=', PIPELINE_WORKFLOW_ID)
    .where('file_id', '=', fileId)
    .execute();
  return Promise.all(
    runs.map(async (run: { id: string; status: string }) => ({
      status: run.status,
      steps: await db
        .selectFrom('workflow_steps')
        .select(['name', 'status', 'attempts'])
        .where('run_id', '=', run.id)
        .orderBy('position')
        .execute(),
    })),
  );
}

describe('the default pipeline as a workflow', () => {
  it('processes every file through a stored pipeline run, without workflow.* events', async () => {
    const forge = await makeForge();
    const announced: string[] = [];
    forge.events.on('workflow.started', (e) => {
      announced.push(e.workflowId);
    });
    const file = await forge.ingest(Readable.from([Buffer.from('hello\n')]), { name: 'a.txt' });
    await forge.queue.onIdle();
    expect((await forge.files.get(file.id))?.status).toBe('processed');
    const [run, ...others] = await pipelineRuns(forge, file.id);
    expect(others).toEqual([]);
    expect(run?.status).toBe('completed');
    expect(run?.steps[0]).toMatchObject({ name: 'process', status: 'completed', attempts: 1 });
    expect(announced).toEqual([]);
  });

  it('a failed pipeline step fails the job; its retry resumes the same run without re-running process', async () => {
    let processed = 0;
    const counter: Processor = {
      name: 'counter',
      mimeTypes: ['text/*'],
      async extractMetadata() {
        processed++;
        return { processed };
      },
    };
    let classifyCalls = 0;
    // Replaces the sorter's classify step in the pipeline.
    const classify: WorkflowStepKind = {
      name: 'classify',
      options: z.object({}),
      async run() {
        classifyCalls++;
        if (classifyCalls === 1) throw new FileForgeError(ErrorCode.CATALOG_UNAVAILABLE, 'catalog hiccup');
        return { category: 'notes' };
      },
    };
    const forge = await makeForge({
      processors: [counter],
      workflows: { steps: [classify] },
      queueTiming: { pollIntervalMs: 50 },
    });
    const file = await forge.ingest(Readable.from([Buffer.from('hello\n')]), { name: 'a.txt' });
    await forge.queue.onIdle();
    expect((await forge.files.get(file.id))?.status).toBe('processed');
    const runs = await pipelineRuns(forge, file.id);
    expect(runs).toHaveLength(1);
    expect(runs[0]?.status).toBe('completed');
    expect(runs[0]?.steps).toEqual([
      { name: 'process', status: 'completed', attempts: 1 },
      { name: 'classify', status: 'completed', attempts: 2 },
      { name: 'sort', status: 'completed', attempts: 1 },
    ]);
    expect(processed).toBe(1);
    expect(classifyCalls).toBe(2);
  });

  it('a failed pipeline run is retried by the job of its file, not by retryRun (which would run it twice at once)', async () => {
    const classify: WorkflowStepKind = {
      name: 'classify',
      options: z.object({}),
      async run() {
        throw new FileForgeError(ErrorCode.VALIDATION_FAILED, 'never classifies');
      },
    };
    const forge = await makeForge({ workflows: { steps: [classify] }, jobMaxAttempts: 1 });
    const file = await forge.ingest(Readable.from([Buffer.from('hello\n')]), { name: 'a.txt' });
    await forge.queue.onIdle();
    const [run] = await forge.workflows.listFileRuns(file.id);
    expect(run).toMatchObject({ workflowId: PIPELINE_WORKFLOW_ID, status: 'failed' });
    await expect(forge.workflows.retryRun(run!.id)).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await pipelineRuns(forge, file.id))[0]?.status).toBe('failed');
  });

  it('reprocessing a file starts a new pipeline run', async () => {
    const forge = await makeForge();
    const file = await forge.ingest(Readable.from([Buffer.from('hello\n')]), { name: 'a.txt' });
    await forge.queue.onIdle();
    await forge.files.reprocess(file.id);
    await forge.queue.onIdle();
    const runs = await pipelineRuns(forge, file.id);
    expect(runs.map((r) => r.status)).toEqual(['completed', 'completed']);
  });
});

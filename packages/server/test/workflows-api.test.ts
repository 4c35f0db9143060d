import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { jsonBody as json, yamlBody as yaml } from './support/access-server.js';
import { eventually, startTestServer, stopTestServers, type TestServer } from './support/server.js';
import { registerEchoAndFlakySteps } from './support/test-steps.js';

afterEach(stopTestServers);

interface Problem {
  rule: string;
  message: string;
  path: string;
}
interface StepRun {
  name: string;
  status: string;
  attempts: number;
  startedAt: string | null;
  finishedAt: string | null;
  output?: unknown;
  error?: { code: string; message: string };
}
interface Run {
  id: string;
  workflowId: string;
  status: string;
  steps: StepRun[];
}

const GREETING_YAML = `
name: greeting
on: { manual: true }
steps:
  hello: { uses: test.echo, with: { text: "hello {{ input.who }}" } }
  bye: { uses: test.echo, needs: [hello], with: { text: "bye" } }
`;

/** Registers `test.echo`, `test.flaky` (fails while `failures.left > 0`) and `test.wait` (runs until aborted). */
function registerTestSteps(server: TestServer) {
  const failures = registerEchoAndFlakySteps(server.forge);
  server.forge.workflows.registerStep({
    name: 'test.wait',
    options: z.object({}),
    run: (context) =>
      new Promise((_resolve, reject) => {
        context.signal.addEventListener('abort', () => reject(context.signal.reason), { once: true });
      }),
  });
  return failures;
}

async function create(api: TestServer['api'], init: RequestInit) {
  const res = await api('/api/v1/workflows', init);
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as { id: string; name: string; definition: Record<string, unknown> };
}

async function problemsOf(res: Response) {
  const body = (await res.json()) as { error: { code: string; details?: { problems?: Problem[] } } };
  return { code: body.error.code, problems: body.error.details?.problems ?? [] };
}

const finalRun = (api: TestServer['api'], workflowId: string, runId: string) =>
  eventually(async () => {
    const run = (await (await api(`/api/v1/workflows/${workflowId}/runs/${runId}`)).json()) as Run;
    return ['completed', 'failed', 'cancelled'].includes(run.status) ? run : undefined;
  }, `run ${runId} never finished`);

describe('workflows over HTTP', () => {
  it('saves a workflow from YAML and from JSON, lists, reads, replaces and deletes it', async () => {
    const server = await startTestServer();
    registerTestSteps(server);
    const { api } = server;

    const greeting = await create(api, yaml('POST', GREETING_YAML));
    expect(greeting.id).toEqual(expect.any(String));
    expect(greeting.name).toBe('greeting');
    const other = await create(
      api,
      json('POST', {
        name: 'other',
        on: { manual: true },
        steps: { only: { uses: 'test.echo', with: { text: 'x' } } },
      }),
    );

    const list = (await (await api('/api/v1/workflows')).json()) as { items: Array<{ id: string }> };
    expect(list.items.map((w) => w.id).sort()).toEqual([greeting.id, other.id].sort());
    const one = await api(`/api/v1/workflows/${greeting.id}`);
    expect(one.status).toBe(200);
    expect(await one.json()).toMatchObject({
      id: greeting.id,
      name: 'greeting',
      definition: { steps: { hello: { uses: 'test.echo' } } },
    });

    const replaced = await api(
      `/api/v1/workflows/${other.id}`,
      yaml(
        'PUT',
        'name: other\non: { manual: true }\nsteps:\n  first: { uses: test.echo, with: { text: "y" } }\n',
      ),
    );
    expect(replaced.status, await replaced.clone().text()).toBe(200);
    expect(((await replaced.json()) as { definition: { steps: object } }).definition.steps).toHaveProperty(
      'first',
    );

    expect((await api(`/api/v1/workflows/${other.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await api(`/api/v1/workflows/${other.id}`)).status).toBe(404);
    expect((await api(`/api/v1/workflows/${other.id}`, yaml('PUT', GREETING_YAML))).status).toBe(404);
  });

  it('refuses a definition with lint problems with 422 WORKFLOW_INVALID and the rule ids, and saves nothing', async () => {
    const server = await startTestServer();
    registerTestSteps(server);
    const { api } = server;
    const broken = `
name: broken
on: { manual: true }
steps:
  a: { uses: test.echo, needs: [b], with: { text: a } }
  b: { uses: test.echo, needs: [a], with: { text: b } }
  c: { uses: test.echo, needs: [nowhere], with: { text: c } }
  d: { uses: no.such.kind }
`;
    const res = await api('/api/v1/workflows', yaml('POST', broken));
    expect(res.status).toBe(422);
    const { code, problems } = await problemsOf(res);
    expect(code).toBe('WORKFLOW_INVALID');
    const rules = new Set(problems.map((p) => p.rule));
    expect(rules).toContain('cycle');
    expect(rules).toContain('undefined-step');
    expect(rules).toContain('unknown-step-kind');
    expect(problems.find((p) => p.rule === 'undefined-step')?.path).toBe('steps.c.needs[0]');

    const schema = await api('/api/v1/workflows', json('POST', { name: 'no steps', on: { manual: true } }));
    expect(schema.status).toBe(422);
    expect((await problemsOf(schema)).problems.map((p) => p.rule)).toContain('schema');

    // Lint without saving: the same problems, 200.
    const linted = await api('/api/v1/workflows/lint', yaml('POST', broken));
    expect(linted.status).toBe(200);
    const lint = (await linted.json()) as { ok: boolean; problems: Problem[] };
    expect(lint.ok).toBe(false);
    expect(lint.problems.map((p) => p.rule)).toEqual(expect.arrayContaining(['cycle', 'undefined-step']));
    const clean = await api('/api/v1/workflows/lint', yaml('POST', GREETING_YAML));
    expect(await clean.json()).toEqual({ ok: true, problems: [] });

    expect(((await (await api('/api/v1/workflows')).json()) as { items: unknown[] }).items).toEqual([]);
  });

  it('runs a workflow on demand and shows its step timeline; retries a failed run from its failed step; cancels one', async () => {
    const server = await startTestServer();
    const failures = registerTestSteps(server);
    const { api } = server;

    const greeting = await create(api, yaml('POST', GREETING_YAML));
    const started = await api(
      `/api/v1/workflows/${greeting.id}/runs`,
      json('POST', { input: { who: 'world' } }),
    );
    expect(started.status, await started.clone().text()).toBe(202);
    const queued = (await started.json()) as Run;
    expect(started.headers.get('location')).toBe(`/api/v1/workflows/${greeting.id}/runs/${queued.id}`);
    const done = await finalRun(api, greeting.id, queued.id);
    expect(done.status).toBe('completed');
    expect(done.steps.map((s) => [s.name, s.status, s.attempts])).toEqual([
      ['hello', 'completed', 1],
      ['bye', 'completed', 1],
    ]);
    expect(done.steps[0]?.output).toEqual({ text: 'hello world' });
    for (const step of done.steps) {
      expect(Date.parse(step.finishedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(step.startedAt ?? ''));
    }
    const runs = (await (await api(`/api/v1/workflows/${greeting.id}/runs`)).json()) as { items: Run[] };
    expect(runs.items.map((r) => r.id)).toEqual([queued.id]);

    // A run fails at its flaky step; the retry starts from there and the first step is not run again.
    const flaky = await create(
      api,
      yaml(
        'POST',
        'name: flaky\non: { manual: true }\nsteps:\n  first: { uses: test.echo, with: { text: one } }\n  second: { uses: test.flaky, needs: [first] }\n',
      ),
    );
    failures.left = 1;
    const failing = (await (
      await api(`/api/v1/workflows/${flaky.id}/runs`, { method: 'POST' })
    ).json()) as Run;
    const failed = await finalRun(api, flaky.id, failing.id);
    expect(failed.status).toBe('failed');
    expect(failed.steps.map((s) => s.status)).toEqual(['completed', 'failed']);
    const retried = await api(`/api/v1/workflows/${flaky.id}/runs/${failing.id}/retry`, { method: 'POST' });
    expect(retried.status, await retried.clone().text()).toBe(202);
    const recovered = await finalRun(api, flaky.id, failing.id);
    expect(recovered.status).toBe('completed');
    expect(recovered.steps.map((s) => [s.name, s.status, s.attempts])).toEqual([
      ['first', 'completed', 1],
      ['second', 'completed', 2],
    ]);

    // A run of another workflow is not found under this one.
    expect((await api(`/api/v1/workflows/${greeting.id}/runs/${failing.id}`)).status).toBe(404);

    const waiting = await create(
      api,
      yaml('POST', 'name: waiting\non: { manual: true }\nsteps:\n  hold: { uses: test.wait }\n'),
    );
    const holding = (await (
      await api(`/api/v1/workflows/${waiting.id}/runs`, { method: 'POST' })
    ).json()) as Run;
    await eventually(async () => {
      const run = (await (await api(`/api/v1/workflows/${waiting.id}/runs/${holding.id}`)).json()) as Run;
      return run.status === 'running' ? run : undefined;
    }, 'the waiting run never started');
    const cancelled = await api(`/api/v1/workflows/${waiting.id}/runs/${holding.id}/cancel`, {
      method: 'POST',
    });
    expect(cancelled.status, await cancelled.clone().text()).toBe(200);
    expect((await finalRun(api, waiting.id, holding.id)).status).toBe('cancelled');
  });

  it('answers 404 for a run on a file that does not exist', async () => {
    const server = await startTestServer();
    registerTestSteps(server);
    const greeting = await create(server.api, yaml('POST', GREETING_YAML));
    const res = await server.api(
      `/api/v1/workflows/${greeting.id}/runs`,
      json('POST', { fileId: '01m89x19j1mxtrcxkbagdagbb0' }),
    );
    expect(res.status).toBe(404);
  });
});

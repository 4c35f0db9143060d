import { z } from '@hono/zod-openapi';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bundleCli, runBundledCli } from './support/bundled-cli.js';
import { startTestServer, stopTestServers } from './support/server.js';

let bundle: Awaited<ReturnType<typeof bundleCli>>;
beforeAll(async () => {
  bundle = await bundleCli();
});
afterAll(() => bundle?.remove());
afterEach(stopTestServers);

const GREETING = `
name: greeting
on: { manual: true }
steps:
  hello: { uses: test.echo, with: { text: "hello {{ input.who }}" } }
`;

describe('fileforge workflows run', () => {
  it('starts a run on the server, waits for it and prints it as JSON; an unknown workflow exits 1', {
    timeout: 120_000,
  }, async () => {
    const s = await startTestServer();
    s.forge.workflows.registerStep({
      name: 'test.echo',
      options: z.object({ text: z.string() }),
      async run(_context, { text }) {
        return { text };
      },
    });
    const created = await s.api('/api/v1/workflows', {
      method: 'POST',
      headers: { 'Content-Type': 'application/yaml' },
      body: GREETING,
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const key = s.apiKey;

    const run = await runBundledCli(bundle.path, [
      'workflows',
      'run',
      id,
      '--input',
      '{"who":"world"}',
      '--wait',
      '--json',
      '--url',
      s.url,
      '--api-key',
      key,
    ]);
    expect(run.code, run.stderr).toBe(0);
    const printed = JSON.parse(run.stdout) as { id: string; workflowId: string; status: string };
    expect(printed).toMatchObject({ workflowId: id, status: 'completed', input: { who: 'world' } });
    // The run is the server's: its step saw the input.
    const stored = (await (await s.api(`/api/v1/workflows/${id}/runs/${printed.id}`)).json()) as {
      steps: Array<{ output: unknown }>;
    };
    expect(stored.steps[0]?.output).toEqual({ text: 'hello world' });

    const text = await runBundledCli(bundle.path, ['workflows', 'run', id, '--url', s.url], {
      FILEFORGE_API_KEY: key,
    });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(
      new RegExp(`^run \\w{26} of workflow ${id}: (pending|running|completed)\\n$`),
    );

    const unknown = await runBundledCli(bundle.path, [
      'workflows',
      'run',
      'nope',
      '--url',
      s.url,
      '--api-key',
      key,
    ]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^fileforge workflows run: NOT_FOUND .* \(HTTP 404\)\n$/);

    const badInput = await runBundledCli(bundle.path, ['workflows', 'run', id, '--input', '[1]']);
    expect(badInput.code).toBe(2);
    expect(badInput.stderr).toMatch(/--input must be a JSON object/);
  });
});

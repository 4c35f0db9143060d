/**
 * The server the OpenAPI-driven fuzz tests aim at: a test server with one processed file, a
 * workflow and a run of it, whose ids stand in for path parameters half the time (the other
 * half hostile values), plus the check every answer is held to.
 *
 * @module
 */
import type { Rng } from '@fileforge/test-fixtures/random';
import { makeText } from './fixtures.js';
import { startTestServer, type TestServer } from './server.js';

/** The served document's operations, as the fuzz tests read them. */
export interface OpenApiDocument<Operation> {
  paths: Record<string, Record<string, Operation>>;
}

/** A running server and the ids of what exists on it. */
export interface FuzzTarget {
  server: TestServer;
  /** `id` (a file), `workflowId`, `runId`. */
  known: Record<string, string>;
  /** The served OpenAPI document. */
  document<Operation>(): Promise<OpenApiDocument<Operation>>;
  /** `path` with each `{param}` filled: a real id when `r` says so and one is known, `hostile` otherwise. */
  fillPath(path: string, r: Rng, hostile: () => string): string;
}

/** Starts the target (stop it with `stopTestServers`). */
export async function startFuzzTarget(): Promise<FuzzTarget> {
  const server = await startTestServer();
  const form = new FormData();
  form.append('file', new File([makeText()], 'note.txt'));
  const res = await server.api('/api/v1/files', { method: 'POST', body: form });
  const id = ((await res.json()) as { files: { id: string }[] }).files[0]!.id;
  const workflow = await server.forge.workflows.define({
    name: 'fuzzed',
    on: { manual: true },
    steps: { again: { uses: 'process' } },
  });
  const run = await server.forge.workflows.run(workflow.id, { fileId: id });
  const known: Record<string, string> = { id, workflowId: workflow.id, runId: run.id };
  return {
    server,
    known,
    async document<Operation>() {
      return (await (await fetch(`${server.url}/openapi.json`)).json()) as OpenApiDocument<Operation>;
    },
    fillPath: (path, r, hostile) =>
      path.replace(/\{(\w+)\}/g, (_, name: string) => {
        const real = name === 'id' && path.startsWith('/api/v1/workflows') ? known.workflowId : known[name];
        return encodeURIComponent(r.chance(0.5) && real ? real : hostile() || 'x');
      }),
  };
}

/**
 * What is wrong with an answer, or null: a 5xx is, and so is an API refusal (4xx) whose body
 * is not the documented `{ error: { code } }`.
 */
export function answerProblem(status: number, body: string, api: boolean): string | null {
  if (status >= 500) return `${status}: ${body.slice(0, 300)}`;
  if (status < 400 || !api) return null;
  let code: unknown;
  try {
    code = (JSON.parse(body) as { error?: { code?: unknown } }).error?.code;
  } catch {
    code = undefined;
  }
  return typeof code === 'string' ? null : `${status} without an error code: ${body.slice(0, 200)}`;
}

import { parseArgs } from 'node:util';
import { createClient, isFileForgeClientError, type WorkflowRun } from '@fileforge/client';
import { serverConnection } from './server-connection.js';

/** `fileforge workflows run --help` (part of `fileforge workflows --help`). */
export const WORKFLOWS_RUN_USAGE = `Usage: fileforge workflows run WORKFLOW_ID [--file FILE_ID] [--input JSON] [--wait]
                              [--url URL] [--api-key KEY] [--json]
  Starts a run of a stored workflow on a running server (POST /api/v1/workflows/{id}/runs;
  --url, default http://localhost:$PORT; an editor or admin API key from --api-key or
  FILEFORGE_API_KEY) and prints its id and status.
  --file FILE_ID   the file the run works on
  --input JSON     a JSON object the steps read as {{ input.* }}
  --wait           wait for the run to end (completed, failed or cancelled)
  --json           print the run as the API returns it
  Exit codes: 0 started (with --wait: completed), 1 refused or the run failed, 2 usage error.
`;

const FINAL = new Set(['completed', 'failed', 'cancelled']);

/** `fileforge workflows run WORKFLOW_ID`: one manual run through the server's API. */
export async function runWorkflowsRun(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      file: { type: 'string' },
      input: { type: 'string' },
      wait: { type: 'boolean', default: false },
      url: { type: 'string' },
      'api-key': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const usage = (message: string) => {
    process.stderr.write(`fileforge workflows run: ${message}\n\n${WORKFLOWS_RUN_USAGE}`);
    return 2;
  };
  if (positionals.length !== 1) return usage('give exactly one workflow id');
  let input: unknown;
  if (values.input !== undefined) {
    try {
      input = JSON.parse(values.input);
    } catch {
      return usage('--input must be JSON');
    }
    if (typeof input !== 'object' || input === null || Array.isArray(input))
      return usage('--input must be a JSON object');
  }
  const connection = serverConnection(values);
  const client = createClient({
    baseUrl: connection.url,
    ...(connection.apiKey ? { apiKey: connection.apiKey } : {}),
  });
  const workflowId = positionals[0]!;
  try {
    let run: WorkflowRun = await client.workflows.run(workflowId, {
      ...(values.file ? { fileId: values.file } : {}),
      ...(input === undefined ? {} : { input: input as Record<string, unknown> }),
    });
    while (values.wait && !FINAL.has(run.status)) {
      await new Promise((r) => setTimeout(r, 250));
      run = await client.workflows.getRun(workflowId, run.id);
    }
    if (values.json) process.stdout.write(`${JSON.stringify(run)}\n`);
    else {
      const error = run.error ? `: ${run.error.code ?? ''} ${run.error.message ?? ''}`.trimEnd() : '';
      process.stdout.write(`run ${run.id} of workflow ${run.workflowId}: ${run.status}${error}\n`);
    }
    return run.status === 'failed' || run.status === 'cancelled' ? 1 : 0;
  } catch (error) {
    if (!isFileForgeClientError(error)) throw error;
    process.stderr.write(
      error.status > 0
        ? `fileforge workflows run: ${error.code} ${error.message} (HTTP ${error.status})\n`
        : `fileforge workflows run: cannot reach the server at ${connection.url}: ${error.code} ${error.message}\n`,
    );
    return 1;
  }
}

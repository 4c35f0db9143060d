import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { type LintProblem, lintWorkflow } from '@fileforge/core';
import { builtInConnectors, stepKindName } from '@fileforge/integrations';
import { createOperationRegistry } from '@fileforge/processors';
import { runWorkflowsRun, WORKFLOWS_RUN_USAGE } from './workflows-run.js';

/** `fileforge workflows --help`. */
export const WORKFLOWS_USAGE = `Usage: fileforge workflows lint FILE... [--step NAME]... [--json]
       fileforge workflows run WORKFLOW_ID [options]   (see below)
  Checks workflow definitions (YAML or JSON) without running them. Each problem is printed
  with its rule id (schema, undefined-step, cycle, unknown-step-kind, missing-processor,
  invalid-template, unreachable-step), its field path and what is wrong.
  Known step kinds: those fileforge serve runs — process, classify, sort, webhook, the
  operations of @fileforge/processors (image.thumbnail, …) and every built-in connector
  action (connector.slack.postMessage, …); --step NAME adds a custom step kind your
  application registers (repeatable).
  --json         one JSON object per file: { file, ok, problems: [{ rule, path, message }] }
  Exit codes: 0 no problems, 1 problems found, 2 usage error or unreadable file.

${WORKFLOWS_RUN_USAGE}`;

/** The step kinds `fileforge serve` registers: the forge's own, the webhook step, every connector action. */
const SERVER_KINDS = [
  'process',
  'classify',
  'sort',
  'webhook',
  ...builtInConnectors.flatMap((c) => Object.keys(c.actions).map((action) => stepKindName(c.slug, action))),
];

/** `fileforge workflows lint FILE... [--step NAME]... [--json]` and `fileforge workflows run`. */
export async function runWorkflows(args: string[]): Promise<number> {
  if (args[0] === 'run') return runWorkflowsRun(args.slice(1));
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { step: { type: 'string', multiple: true }, json: { type: 'boolean', default: false } },
  });
  const [sub, ...files] = positionals;
  if (sub !== 'lint' || files.length === 0) {
    process.stderr.write(
      `fileforge workflows: ${sub === 'lint' ? 'give at least one workflow file' : `unknown subcommand "${sub ?? ''}" (lint or run)`}\n\n${WORKFLOWS_USAGE}`,
    );
    return 2;
  }
  const kinds = new Set([...SERVER_KINDS, ...createOperationRegistry().names(), ...(values.step ?? [])]);
  let problems = 0;
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      process.stderr.write(`fileforge workflows: cannot read ${file}: ${(error as Error).message}\n`);
      return 2;
    }
    const result = lintWorkflow(file.endsWith('.json') ? safeJson(text) : text, {
      stepKinds: (n) => kinds.has(n),
    });
    problems += result.problems.length;
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ file, ok: result.ok, problems: result.problems })}\n`);
    } else if (result.problems.length === 0) {
      process.stdout.write(`${file}: ok\n`);
    } else {
      for (const p of result.problems) process.stdout.write(`${file}: ${line(p)}\n`);
    }
  }
  return problems > 0 ? 1 : 0;
}

const line = (p: LintProblem) => `${p.rule}${p.path ? ` at ${p.path}` : ''}: ${p.message}`;

/** JSON text parsed, or the text itself (the linter then reports it under `schema`). */
function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

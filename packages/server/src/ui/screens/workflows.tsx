import { notFound } from '../../errors/respond.js';
import { Badge, Card, FormStatus, Notice } from '../components.js';
import { formatDate } from '../format.js';
import type { Screen } from '../screen.js';
import { TableWrap } from './table-wrap.js';
import { elapsed, RunDetail, RunStatus, triggerText, WorkflowEditor } from './workflow-parts.js';

/** What a new workflow's editor starts with. */
const NEW_WORKFLOW = {
  name: 'notify-on-invoice',
  description: 'Tell the CRM about every invoice',
  on: { event: 'file.classified', filter: { field: 'category', op: 'eq', value: 'invoices' } },
  steps: { thumbnail: { uses: 'image.thumbnail', with: { size: 256 } } },
};

/** `/workflows`: every definition with its state, and a way to write a new one. */
export const workflowsScreen: Screen = {
  id: 'workflows',
  path: '/workflows',
  title: 'Workflows',
  permission: 'workflows:read',
  async render({ principal, services, can }) {
    const items = await services.forge.workflows.list({ tenant: principal.tenant });
    return {
      body: (
        <>
          <h1>Workflows</h1>
          <p>Steps FileForge runs for you on a file event, a schedule, a watched folder or on demand.</p>
          {can('workflows:write') ? (
            <p>
              <a class="btn btn-primary" href="/workflows/new">
                New workflow
              </a>
            </p>
          ) : null}
          {items.length === 0 ? (
            <p>No workflows yet.</p>
          ) : (
            <TableWrap label="Workflows">
              <table class="table">
                <caption class="visually-hidden">Workflows</caption>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">State</th>
                    <th scope="col">Steps</th>
                    <th scope="col">Changed</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((w) => (
                    <tr>
                      <td>
                        <a href={`/workflows/${w.id}`}>{w.name}</a>
                        {w.definition.description ? (
                          <div class="muted">{w.definition.description}</div>
                        ) : null}
                      </td>
                      <td>
                        {w.enabled ? <Badge tone="ok">enabled</Badge> : <Badge tone="warn">disabled</Badge>}
                      </td>
                      <td>{Object.keys(w.definition.steps).join(', ')}</td>
                      <td>{formatDate(w.updatedAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          )}
        </>
      ),
    };
  },
};

/** `/workflows/new`: the editor with a starting definition. */
export const newWorkflowScreen: Screen = {
  id: 'workflow-new',
  section: 'workflows',
  path: '/workflows/new',
  title: 'New workflow',
  permission: 'workflows:write',
  render: () => ({
    scripts: ['workflows.js'],
    body: (
      <>
        <p>
          <a href="/workflows">← Workflows</a>
        </p>
        <h1>New workflow</h1>
        <WorkflowEditor text={JSON.stringify(NEW_WORKFLOW, null, 2)} canEdit />
      </>
    ),
  }),
};

/** `/workflows/:id`: the definition beside its linter, run now, and its runs, newest first. */
export const workflowScreen: Screen = {
  id: 'workflow',
  section: 'workflows',
  path: '/workflows/:id',
  title: 'Workflow',
  permission: 'workflows:read',
  async render({ c, principal, services, can }) {
    const tenant = principal.tenant;
    const id = c.req.param('id') ?? '';
    const workflow = await services.forge.workflows.get(id, { tenant });
    const cursor = c.req.query('cursor');
    const runs = await services.forge.workflows.listRuns(id, {
      tenant,
      limit: 20,
      ...(cursor ? { cursor } : {}),
    });
    const canRun = can('workflows:write');
    return {
      title: workflow.name,
      scripts: ['workflows.js'],
      body: (
        <>
          <p>
            <a href="/workflows">← Workflows</a>
          </p>
          <h1>
            {workflow.name}{' '}
            {workflow.enabled ? <Badge tone="ok">enabled</Badge> : <Badge tone="warn">disabled</Badge>}
          </h1>
          {c.req.query('saved') !== undefined ? <Notice>Saved.</Notice> : null}
          {canRun && workflow.enabled ? (
            <Card title="Run now">
              <form id="run-now" class="toolbar" data-workflow-id={workflow.id}>
                <label class="field" for="run-file">
                  <span>
                    File id <span class="hint">— optional: the file the run works on</span>
                  </span>
                  <input id="run-file" name="fileId" autocomplete="off" maxlength={64} />
                </label>
                <button type="submit" class="btn btn-primary">
                  Run now
                </button>
                <FormStatus id="run-now-status" />
              </form>
            </Card>
          ) : null}
          <h2>Runs</h2>
          {runs.items.length === 0 ? (
            <p>No runs yet.</p>
          ) : (
            <TableWrap label="Runs">
              <table class="table">
                <caption class="visually-hidden">Runs, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">Run</th>
                    <th scope="col">Status</th>
                    <th scope="col">Started by</th>
                    <th scope="col">Duration</th>
                    <th scope="col">Failed step</th>
                  </tr>
                </thead>
                <tbody>
                  {runs.items.map((run) => (
                    <tr>
                      <td>
                        <a href={`/workflows/${workflow.id}/runs/${run.id}`}>{formatDate(run.createdAt)}</a>
                      </td>
                      <td>
                        <RunStatus status={run.status} />
                      </td>
                      <td>{triggerText(run.trigger)}</td>
                      <td>{elapsed(run.startedAt, run.finishedAt)}</td>
                      <td>{run.error?.step ?? '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          )}
          {runs.nextCursor ? (
            <nav class="pager" aria-label="Run pages">
              <a class="btn" href={`/workflows/${workflow.id}?cursor=${encodeURIComponent(runs.nextCursor)}`}>
                Older runs
              </a>
            </nav>
          ) : null}
          <h2>Definition</h2>
          <WorkflowEditor
            id={workflow.id}
            text={JSON.stringify(workflow.definition, null, 2)}
            canEdit={canRun}
          />
        </>
      ),
    };
  },
};

/** `/workflows/:id/runs/:runId`: a run's step timeline, retry, cancel; `?fragment=run` for live updates. */
export const workflowRunScreen: Screen = {
  id: 'workflow-run',
  section: 'workflows',
  path: '/workflows/:id/runs/:runId',
  title: 'Workflow run',
  permission: 'workflows:read',
  async render({ c, principal, services, can }) {
    const tenant = principal.tenant;
    const workflow = await services.forge.workflows.get(c.req.param('id') ?? '', { tenant });
    const run = await services.forge.workflows.getRun(c.req.param('runId') ?? '', { tenant });
    if (run.workflowId !== workflow.id) throw notFound('Workflow run');
    const detail = <RunDetail run={run} canAct={can('workflows:write')} />;
    if (c.req.query('fragment') === 'run') return c.html(String(await detail));
    return {
      title: `Run of ${workflow.name}`,
      scripts: ['workflows.js'],
      body: (
        <>
          <p>
            <a href={`/workflows/${workflow.id}`}>← {workflow.name}</a>
          </p>
          <h1>Run of {workflow.name}</h1>
          <div id="run" data-workflow-id={workflow.id} data-run-id={run.id} data-status={run.status}>
            {detail}
          </div>
        </>
      ),
    };
  },
};

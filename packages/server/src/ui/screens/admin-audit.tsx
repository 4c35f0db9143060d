import { AUDIT_ACTIONS, type AuditEntry } from '@fileforge/core';
import { Notice } from '../components.js';
import { formatDate } from '../format.js';
import type { Screen } from '../screen.js';
import { AdminNav } from './admin-nav.js';
import { callApi } from './services.js';
import { TableWrap } from './table-wrap.js';

const FILTERS = ['action', 'actor', 'targetType', 'targetId', 'since', 'until'] as const;
/** The action filter offers every action and every prefix (`auth.*`). */
const ACTION_CHOICES = [...new Set(AUDIT_ACTIONS.map((a) => `${a.split('.')[0]}.*`)), ...AUDIT_ACTIONS];

/** `2026-11-29T18:00` from a `datetime-local` input, read as UTC (the page says so). */
const asUtc = (value: string) => (/^\d{4}-\d\d-\d\dT\d\d:\d\d$/.test(value) ? `${value}:00Z` : value);

function Filters({ values }: { values: Record<string, string> }) {
  const text = (name: string, label: string, hint?: string) => (
    <label class="field" for={`audit-${name}`}>
      <span>
        {label}
        {hint ? <span class="hint"> — {hint}</span> : null}
      </span>
      <input
        id={`audit-${name}`}
        name={name}
        value={values[name] ?? ''}
        autocomplete="off"
        list={name === 'action' ? 'audit-actions' : undefined}
      />
    </label>
  );
  const time = (name: string, label: string) => (
    <label class="field" for={`audit-${name}`}>
      <span>
        {label} <span class="hint">— UTC</span>
      </span>
      <input
        id={`audit-${name}`}
        name={name}
        type="datetime-local"
        value={(values[name] ?? '').slice(0, 16)}
      />
    </label>
  );
  return (
    <form method="get" action="/admin/audit" class="toolbar audit-filters" aria-label="Filter the audit log">
      {text('action', 'Action', 'or a prefix like auth.*')}
      <datalist id="audit-actions">
        {ACTION_CHOICES.map((a) => (
          <option value={a} />
        ))}
      </datalist>
      {text('actor', 'Actor id')}
      {text('targetType', 'Target type', 'file, user, api_key, rule…')}
      {text('targetId', 'Target id')}
      {time('since', 'From')}
      {time('until', 'Before')}
      <button type="submit" class="btn btn-primary">
        Filter
      </button>
      <a class="btn btn-quiet" href="/admin/audit">
        Clear
      </a>
    </form>
  );
}

/** `/admin/audit`: who did what in the tenant, newest first, with filters and paging. */
export const adminAuditScreen: Screen = {
  id: 'admin-audit',
  section: 'admin',
  path: '/admin/audit',
  title: 'Audit log',
  permission: 'audit:read',
  async render(ctx) {
    const { c, can } = ctx;
    const values: Record<string, string> = {};
    const query = new URLSearchParams({ limit: '50' });
    for (const name of FILTERS) {
      const value = c.req.query(name)?.trim();
      if (!value) continue;
      values[name] = value;
      query.set(name, name === 'since' || name === 'until' ? asUtc(value) : value);
    }
    const cursor = c.req.query('cursor');
    if (cursor) query.set('cursor', cursor);
    const answer = await callApi<{ items: AuditEntry[]; nextCursor: string | null }>(
      ctx,
      `/api/v1/audit?${query}`,
    );
    const page = answer.body;
    const next = new URLSearchParams(values);
    if (page?.nextCursor) next.set('cursor', page.nextCursor);
    return {
      body: (
        <>
          <h1>Admin: audit log</h1>
          <AdminNav current="audit" can={can} />
          <p>
            Every entry carries the hash of the one before it; <code>fileforge audit verify</code> checks the
            chain.
          </p>
          <Filters values={values} />
          {answer.error ? <Notice tone="bad">The filter was refused: {answer.error}</Notice> : null}
          {page && page.items.length === 0 ? <p>No entries match.</p> : null}
          {page && page.items.length > 0 ? (
            <TableWrap label="Audit entries">
              <table class="table">
                <caption class="visually-hidden">Audit entries, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">Who</th>
                    <th scope="col">Action</th>
                    <th scope="col">Target</th>
                    <th scope="col">From</th>
                    <th scope="col">Details</th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((e) => (
                    <tr>
                      <td>{formatDate(e.at)}</td>
                      <td>
                        {e.actor.type}
                        {e.actor.id ? <div class="mono break">{e.actor.id}</div> : null}
                      </td>
                      <td>
                        <code>{e.action}</code>
                      </td>
                      <td class="break">
                        {e.target.type ?? '—'} {e.target.name ?? e.target.id ?? ''}
                      </td>
                      <td>{e.clientAddress ?? '—'}</td>
                      <td class="break">
                        {Object.keys(e.details).length ? <code>{JSON.stringify(e.details)}</code> : '—'}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          ) : null}
          {page?.nextCursor ? (
            <nav class="pager" aria-label="Audit pages">
              <a class="btn" href={`/admin/audit?${next}`}>
                Older entries
              </a>
            </nav>
          ) : null}
        </>
      ),
    };
  },
};

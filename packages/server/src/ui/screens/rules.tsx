import { Notice } from '../components.js';
import type { Screen } from '../screen.js';
import { NEW_RULE, RuleEditor, RuleList, Simulator } from './rule-parts.js';

/** JSON for a `<script type="application/json">` block: `<` escaped so no text can end it. */
const jsonData = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

/**
 * `/rules`: the sorting rules in the order they are tried; editors reorder them, edit one
 * (`?edit=<id>`) or write a new one (`?new=1`) with the server's validation messages beside
 * the editor; everyone can simulate which rule would file the chosen files where, and why.
 */
export const rulesScreen: Screen = {
  id: 'rules',
  path: '/rules',
  title: 'Rules',
  permission: 'sorter:read',
  async render({ c, principal, services, can }) {
    const tenant = principal.tenant;
    const [rules, files] = await Promise.all([
      services.forge.sorter.rules.list(tenant),
      services.forge.files.list({ tenant, status: 'processed', limit: 50 }),
    ]);
    const canEdit = can('sorter:write');
    const editId = c.req.query('edit');
    const isNew = c.req.query('new') !== undefined || (rules.length === 0 && !editId);
    const selected = editId ? rules.find((r) => r.id === editId) : undefined;
    const saved = c.req.query('saved') !== undefined;
    const deleted = c.req.query('deleted');
    return {
      scripts: ['rules.js'],
      body: (
        <>
          <h1>Rules</h1>
          <p>
            Rules give each file a category and a place in the sorted tree. They are tried from the top; see{' '}
            <a href="/docs">the API reference</a> for every field and operator.
          </p>
          {saved && selected ? <Notice>Saved the rule “{selected.id}”.</Notice> : null}
          {deleted ? <Notice>Deleted the rule “{deleted}”.</Notice> : null}
          {editId && !selected ? <Notice tone="warn">There is no rule “{editId}”.</Notice> : null}
          <div class="toolbar">
            <p class="spacer">
              {rules.length === 0
                ? 'No rules yet.'
                : `${rules.length} rule${rules.length === 1 ? '' : 's'}, highest priority first.`}
            </p>
            {canEdit ? (
              <a class="btn" href="/rules?new=1">
                New rule
              </a>
            ) : null}
          </div>
          {rules.length > 0 ? <RuleList rules={rules} canEdit={canEdit} current={selected?.id} /> : null}
          <div class="split rules-work">
            {canEdit && (isNew || selected) ? (
              <RuleEditor rule={selected ?? NEW_RULE} isNew={!selected} />
            ) : selected ? (
              <section class="card" aria-labelledby="rule-view-title">
                <h2 id="rule-view-title">Rule “{selected.id}”</h2>
                <pre>{JSON.stringify(selected, null, 2)}</pre>
              </section>
            ) : null}
            <Simulator files={files.items} canDraft={canEdit && Boolean(isNew || selected)} />
          </div>
          <script
            type="application/json"
            id="rules-data"
            dangerouslySetInnerHTML={{ __html: jsonData(rules) }}
          />
        </>
      ),
    };
  },
};

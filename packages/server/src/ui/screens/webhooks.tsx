import { WEBHOOK_BUS_EVENTS, type WebhookSubscription } from '@fileforge/integrations';
import { Badge, Card, FormStatus, Notice } from '../components.js';
import { formatDate } from '../format.js';
import type { Screen } from '../screen.js';
import { SecretPanel } from './secret-panel.js';
import { webhookService } from './services.js';
import { TableWrap } from './table-wrap.js';

/** A subscription's state in words. */
export function HookState({ sub }: { sub: WebhookSubscription }) {
  if (sub.enabled) return <Badge tone="ok">{sub.failingSince ? 'enabled, failing' : 'enabled'}</Badge>;
  const why = {
    gone: 'the receiver answered 410 Gone',
    failing: 'every delivery failed for days',
    manual: 'paused by hand',
  };
  return <Badge tone="warn">disabled: {sub.disabledReason ? why[sub.disabledReason] : 'paused'}</Badge>;
}

/** The subscriptions table (also the `?fragment=list` answer after a create). */
function HookList({ items }: { items: WebhookSubscription[] }) {
  if (items.length === 0) return <p>No webhooks yet.</p>;
  return (
    <TableWrap label="Webhook subscriptions">
      <table class="table">
        <caption class="visually-hidden">Webhook subscriptions</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">URL</th>
            <th scope="col">Events</th>
            <th scope="col">State</th>
            <th scope="col">Created</th>
          </tr>
        </thead>
        <tbody>
          {items.map((sub) => (
            <tr>
              <td>
                <a href={`/webhooks/${sub.id}`}>{sub.name}</a>
              </td>
              <td class="break">
                <code>{sub.url}</code>
              </td>
              <td>{sub.events.join(', ')}</td>
              <td>
                <HookState sub={sub} />
              </td>
              <td>{formatDate(sub.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

/** The create form: name, URL, the events to send (checkboxes plus free patterns). */
function CreateHook() {
  return (
    <Card title="New webhook">
      <form id="webhook-create" class="stack">
        <label class="field" for="hook-name">
          <span>Name</span>
          <input id="hook-name" name="name" required maxlength={200} autocomplete="off" />
        </label>
        <label class="field" for="hook-url">
          <span>
            URL <span class="hint">— where FileForge POSTs signed JSON</span>
          </span>
          <input
            id="hook-url"
            name="url"
            type="url"
            required
            maxlength={2048}
            autocomplete="off"
            placeholder="https://example.com/hooks/fileforge"
          />
        </label>
        <fieldset>
          <legend>Events</legend>
          <div class="check-grid">
            {['file.*', ...WEBHOOK_BUS_EVENTS].map((event) => (
              <label class="check">
                <input type="checkbox" name="events" value={event} checked={event === 'file.*'} />{' '}
                <code>{event}</code>
              </label>
            ))}
          </div>
          <label class="field" for="hook-extra">
            <span>
              More patterns{' '}
              <span class="hint">
                — optional, separated by spaces: <code>workflow.*</code>, <code>*</code>
              </span>
            </span>
            <input id="hook-extra" name="extraEvents" autocomplete="off" />
          </label>
        </fieldset>
        <div class="toolbar">
          <button type="submit" class="btn btn-primary">
            Create webhook
          </button>
        </div>
        <FormStatus id="webhook-create-status" />
      </form>
    </Card>
  );
}

/** `/webhooks`: the tenant's subscriptions; editors create one (its secret shown once). */
export const webhooksScreen: Screen = {
  id: 'webhooks',
  path: '/webhooks',
  title: 'Webhooks',
  permission: 'webhooks:read',
  async render({ c, principal, services, can }) {
    const hooks = webhookService(services);
    if (!hooks) return { body: <Notice tone="warn">This server runs without webhooks.</Notice> };
    const cursor = c.req.query('cursor');
    const page = await hooks.list({ tenant: principal.tenant, limit: 100, ...(cursor ? { cursor } : {}) });
    const list = <HookList items={page.items} />;
    if (c.req.query('fragment') === 'list') return c.html(String(await list));
    const canWrite = can('webhooks:write');
    return {
      scripts: canWrite ? ['copy.js', 'webhooks.js'] : [],
      body: (
        <>
          <h1>Webhooks</h1>
          <p>
            FileForge POSTs each event to the URLs subscribed to it, signed with the subscription’s secret
            (Standard Webhooks).
          </p>
          {canWrite ? <SecretPanel id="secret-panel" title="Signing secret" /> : null}
          <div class={canWrite ? 'split' : undefined}>
            <section aria-labelledby="hooks-title">
              <h2 id="hooks-title">Subscriptions</h2>
              <div id="webhook-list">{list}</div>
              {page.nextCursor ? (
                <nav class="pager" aria-label="Webhook pages">
                  <a class="btn" href={`/webhooks?cursor=${encodeURIComponent(page.nextCursor)}`}>
                    Next page
                  </a>
                </nav>
              ) : null}
            </section>
            {canWrite ? <CreateHook /> : null}
          </div>
        </>
      ),
    };
  },
};

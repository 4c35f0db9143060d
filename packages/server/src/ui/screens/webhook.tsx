import type { WebhookAttempt } from '@fileforge/integrations';
import { Badge, type BadgeTone } from '../components.js';
import { formatDate, formatMs } from '../format.js';
import type { Screen } from '../screen.js';
import { SecretPanel } from './secret-panel.js';
import { webhookService } from './services.js';
import { HookState } from './webhooks.js';

const ATTEMPT_TONE: Record<string, BadgeTone> = { pending: 'info', succeeded: 'ok', failed: 'bad' };
/** The body indented for reading; as sent when it is not JSON. */
const prettyJson = (body: string) => {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
};
const TRIGGER = { scheduled: 'event', manual: 'resent by hand', test: 'test' } as const;

/** The delivery history: each attempt with its request and the receiver's answer. */
function Deliveries({ items, canResend }: { items: WebhookAttempt[]; canResend: boolean }) {
  if (items.length === 0) return <p>No deliveries yet. Send a test to see one.</p>;
  return (
    <ol class="stack deliveries">
      {items.map((a) => (
        <li class="card delivery" data-attempt-id={a.id}>
          <h3>
            <code>{a.eventType}</code> <Badge tone={ATTEMPT_TONE[a.status] ?? 'neutral'}>{a.status}</Badge>{' '}
            <span class="muted">
              attempt {a.attempt} · {TRIGGER[a.trigger]} · {formatDate(a.sentAt ?? a.createdAt)}
            </span>
          </h3>
          <p>
            {a.status === 'pending'
              ? `Due ${formatDate(a.nextAttemptAt)}.`
              : a.responseStatus
                ? `The receiver answered HTTP ${a.responseStatus}${a.durationMs === null ? '' : ` in ${formatMs(a.durationMs)}`}.`
                : 'No answer (network error or timeout).'}
            {a.status === 'failed' && a.nextAttemptAt ? ` Next try ${formatDate(a.nextAttemptAt)}.` : null}
          </p>
          <details>
            <summary>Request and response</summary>
            <h4>Request</h4>
            <pre>
              {`POST ${a.url}\nwebhook-id: ${a.messageId}\ncontent-type: application/json\n(webhook-timestamp and webhook-signature: signed with the subscription's secret)\n\n${prettyJson(a.requestBody)}`}
            </pre>
            <h4>Response</h4>
            <pre>
              {a.responseStatus === null
                ? '(not sent yet)'
                : `HTTP ${a.responseStatus || '— (no answer)'}\n\n${a.responseBody ?? ''}`}
            </pre>
          </details>
          {canResend && a.status !== 'pending' ? (
            <button
              type="button"
              class="btn btn-small"
              data-hook-action="resend"
              data-attempt-id={a.id}
              id={`resend-${a.id}`}
            >
              Resend
            </button>
          ) : null}
        </li>
      ))}
    </ol>
  );
}

/** `/webhooks/:id`: one subscription — test, rotate, pause, delete — and its delivery history. */
export const webhookScreen: Screen = {
  id: 'webhook',
  section: 'webhooks',
  path: '/webhooks/:id',
  title: 'Webhook',
  permission: 'webhooks:read',
  async render({ c, principal, services, can }) {
    const hooks = webhookService(services);
    const tenant = principal.tenant;
    const id = c.req.param('id') ?? '';
    if (!hooks) return c.redirect('/webhooks');
    const [sub, page] = await Promise.all([
      hooks.get(id, { tenant }),
      hooks.deliveries(id, { tenant, limit: 50 }),
    ]);
    const canWrite = can('webhooks:write');
    const deliveries = <Deliveries items={page.items} canResend={canWrite} />;
    if (c.req.query('fragment') === 'deliveries') return c.html(String(await deliveries));
    return {
      title: sub.name,
      scripts: canWrite ? ['copy.js', 'webhooks.js'] : [],
      body: (
        <div id="webhook" data-webhook-id={sub.id}>
          <p>
            <a href="/webhooks">← Webhooks</a>
          </p>
          <h1>{sub.name}</h1>
          <dl class="facts">
            <dt>URL</dt>
            <dd>
              <code>{sub.url}</code>
            </dd>
            <dt>Events</dt>
            <dd>{sub.events.join(', ')}</dd>
            <dt>State</dt>
            <dd>
              <HookState sub={sub} />
            </dd>
            <dt>Secret</dt>
            <dd>
              {sub.secretRotatedAt
                ? `rotated ${formatDate(sub.secretRotatedAt)}`
                : 'the one shown at creation'}
              {sub.previousSecretExpiresAt
                ? `; the previous one signs too until ${formatDate(sub.previousSecretExpiresAt)}`
                : ''}
            </dd>
          </dl>
          {canWrite ? (
            <div class="toolbar">
              <button type="button" class="btn btn-primary" data-hook-action="test" id="hook-test">
                Send a test
              </button>
              <button type="button" class="btn" data-hook-action="rotate">
                Rotate secret
              </button>
              <button type="button" class="btn" data-hook-action={sub.enabled ? 'disable' : 'enable'}>
                {sub.enabled ? 'Pause' : 'Resume'}
              </button>
              <button type="button" class="btn btn-danger" data-hook-action="delete">
                Delete
              </button>
            </div>
          ) : null}
          <p id="webhook-status" class="form-status" role="status" aria-live="polite" />
          {canWrite ? <SecretPanel id="secret-panel" title="New signing secret" /> : null}
          <h2>Deliveries</h2>
          <div id="deliveries">{deliveries}</div>
        </div>
      ),
    };
  },
};

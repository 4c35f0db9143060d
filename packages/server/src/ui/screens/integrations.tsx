import type { IntegrationStatus } from '@fileforge/integrations';
import { Badge, type BadgeTone, Card, Notice } from '../components.js';
import { formatDate } from '../format.js';
import type { Screen } from '../screen.js';
import { type CredentialInput, credentialInputs, credentialLabel } from './connector-fields.js';
import { connectorService } from './services.js';
import { TableWrap } from './table-wrap.js';

const CIRCUIT: Record<string, { tone: BadgeTone; words: string }> = {
  closed: { tone: 'ok', words: 'calls go through' },
  'half-open': { tone: 'warn', words: 'trying again after failures' },
  open: { tone: 'bad', words: 'calls refused for now after failures' },
  isolated: { tone: 'bad', words: 'calls refused: isolated by hand' },
};

/** A connector's circuit state: the state as a badge, then what it means. */
export function CircuitBadge({ state }: { state: string }) {
  const c = CIRCUIT[state] ?? { tone: 'neutral' as const, words: '' };
  return (
    <>
      <Badge tone={c.tone}>circuit {state}</Badge> {c.words}
    </>
  );
}

/** `/integrations`: the seven connectors, connected or not, circuit state and region. */
export const integrationsScreen: Screen = {
  id: 'integrations',
  path: '/integrations',
  title: 'Integrations',
  permission: 'integrations:read',
  async render({ principal, services }) {
    const connectors = connectorService(services);
    if (!connectors) return { body: <Notice tone="warn">This server runs without connectors.</Notice> };
    const items = await connectors.list({ tenant: principal.tenant });
    return {
      body: (
        <>
          <h1>Integrations</h1>
          <p>
            Business systems FileForge can push files into. Each keeps its own credentials, circuit breaker
            and endpoints.
          </p>
          <ul class="grid integration-grid">
            {items.map((item) => (
              <li class="card">
                <h2>
                  <a href={`/integrations/${item.slug}`}>{item.name}</a>
                </h2>
                <p>
                  {item.connected ? <Badge tone="ok">connected</Badge> : <Badge>not connected</Badge>}
                  {item.available ? null : (
                    <>
                      {' '}
                      <Badge tone="warn">not available here</Badge>
                    </>
                  )}
                </p>
                {item.connected ? (
                  <p>
                    <CircuitBadge state={item.circuitState} />
                  </p>
                ) : null}
                {item.region ? <p>Region: {item.region}</p> : null}
              </li>
            ))}
          </ul>
        </>
      ),
    };
  },
};

/** Circuit, endpoints and the last error (also the `?fragment=health` answer after a test). */
function Health({ status }: { status: IntegrationStatus }) {
  return (
    <>
      <dl class="facts">
        <dt>State</dt>
        <dd>{status.connected ? `connected ${formatDate(status.connectedAt)}` : 'not connected'}</dd>
        <dt>Circuit</dt>
        <dd>
          <CircuitBadge state={status.circuit?.state ?? status.circuitState} />
          {status.circuit
            ? ` — ${status.circuit.successCount} succeeded, ${status.circuit.failureCount} failed, ${status.circuit.rejectedCount} refused while open`
            : ''}
        </dd>
        <dt>Region</dt>
        <dd>{status.region ?? '—'}</dd>
        {status.lastError ? (
          <>
            <dt>Last error</dt>
            <dd class="error-text">
              {status.lastError.code}: {status.lastError.message} ({status.lastError.operation},{' '}
              {formatDate(status.lastError.at)})
            </dd>
          </>
        ) : null}
      </dl>
      {status.endpoints.length > 0 ? (
        <TableWrap label="Endpoints">
          <table class="table">
            <caption>Endpoints</caption>
            <thead>
              <tr>
                <th scope="col">URL</th>
                <th scope="col">Region</th>
                <th scope="col">Health</th>
                <th scope="col" class="num">
                  Weight
                </th>
                <th scope="col" class="num">
                  Calls
                </th>
                <th scope="col" class="num">
                  Failures
                </th>
              </tr>
            </thead>
            <tbody>
              {status.endpoints.map((e) => (
                <tr>
                  <td class="break">
                    <code>{e.url}</code>
                  </td>
                  <td>{e.region ?? '—'}</td>
                  <td>
                    {e.healthy ? <Badge tone="ok">healthy</Badge> : <Badge tone="bad">unhealthy</Badge>}
                  </td>
                  <td class="num">{e.weight}</td>
                  <td class="num">{e.picks}</td>
                  <td class="num">{e.failures}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : null}
    </>
  );
}

/** One credentials input, labelled, with its error slot. */
function CredentialField({ input, secret, set }: { input: CredentialInput; secret: boolean; set: boolean }) {
  const id = `cred-${input.name}`;
  const hint = [
    input.required ? 'required' : 'optional',
    input.default ? `default ${input.default}` : '',
    secret ? (set ? 'secret, stored: enter it again to replace it' : 'secret') : '',
  ]
    .filter(Boolean)
    .join('; ');
  const common = {
    id,
    name: input.name,
    'data-credential': '',
    required: input.required,
    'aria-describedby': `${id}-error`,
    autocomplete: 'off',
  };
  return (
    <div class="field">
      <label for={id}>
        {credentialLabel(input.name)} <span class="hint">— {hint}</span>
      </label>
      {input.options ? (
        <select {...common}>
          {input.options.map((o) => (
            <option value={o} selected={o === input.default}>
              {o}
            </option>
          ))}
        </select>
      ) : input.kind === 'textarea' ? (
        <textarea {...common} rows={4} spellcheck={false} placeholder="-----BEGIN PRIVATE KEY-----" />
      ) : (
        <input
          {...common}
          type={secret ? 'password' : input.kind}
          placeholder={input.default}
          spellcheck={false}
        />
      )}
      <span class="error-text" id={`${id}-error`} data-field-error={input.name} hidden />
    </div>
  );
}

/** `/integrations/:slug`: a connector's health, and for admins connect / test / disconnect. */
export const integrationScreen: Screen = {
  id: 'integration',
  section: 'integrations',
  path: '/integrations/:slug',
  title: 'Integration',
  permission: 'integrations:read',
  async render({ c, principal, services, can }) {
    const connectors = connectorService(services);
    if (!connectors) return c.redirect('/integrations');
    const slug = c.req.param('slug') ?? '';
    const status = await connectors.status(slug, { tenant: principal.tenant });
    if (c.req.query('fragment') === 'health') return c.html(String(await (<Health status={status} />)));
    const definition = connectors.definitions.find((d) => d.slug === slug);
    const canWrite = can('integrations:write');
    const secrets = new Map(status.fields.map((f) => [f.name, f]));
    return {
      title: status.name,
      scripts: canWrite ? ['integrations.js'] : [],
      body: (
        <div id="integration" data-slug={slug} data-name={status.name}>
          <p>
            <a href="/integrations">← Integrations</a>
          </p>
          <h1>{status.name}</h1>
          {c.req.query('connected') !== undefined ? (
            <Notice>Connected: the credentials are stored encrypted.</Notice>
          ) : null}
          {c.req.query('disconnected') !== undefined ? (
            <Notice>Disconnected: the credentials are deleted.</Notice>
          ) : null}
          <div class="split">
            <Card title="Health">
              <div id="integration-health">
                <Health status={status} />
              </div>
              {canWrite && status.connected ? (
                <div class="toolbar">
                  <button type="button" class="btn btn-primary" data-integration-action="test">
                    Test connection
                  </button>
                  <button type="button" class="btn btn-danger" data-integration-action="disconnect">
                    Disconnect
                  </button>
                </div>
              ) : null}
              <p id="integration-status" class="form-status" role="status" aria-live="polite" />
              {status.actions.length ? (
                <p>
                  Actions (also workflow steps):{' '}
                  {status.actions.map((a) => `connector.${slug}.${a}`).join(', ')}
                </p>
              ) : null}
            </Card>
            {canWrite && definition ? (
              <Card title={status.connected ? 'Replace the credentials' : 'Connect'}>
                <form id="connect-form" class="stack">
                  {credentialInputs(definition).map((input) => (
                    <CredentialField
                      input={input}
                      secret={secrets.get(input.name)?.secret ?? false}
                      set={secrets.get(input.name)?.set ?? false}
                    />
                  ))}
                  <label class="check">
                    <input type="checkbox" name="test" checked /> Test the credentials against {status.name}{' '}
                    before saving
                  </label>
                  <div class="toolbar">
                    <button type="submit" class="btn btn-primary">
                      {status.connected ? 'Save credentials' : 'Connect'}
                    </button>
                  </div>
                </form>
              </Card>
            ) : null}
          </div>
        </div>
      ),
    };
  },
};

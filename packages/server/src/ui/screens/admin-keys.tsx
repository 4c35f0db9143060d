import type { ApiKeyRecord } from '@fileforge/core';
import { Badge, Card, FormStatus } from '../components.js';
import { formatDate } from '../format.js';
import type { Screen } from '../screen.js';
import { AdminNav } from './admin-nav.js';
import { SecretPanel } from './secret-panel.js';
import { TableWrap } from './table-wrap.js';

/** The keys table (also the `?fragment=list` answer after a create). */
function KeyList({ keys }: { keys: ApiKeyRecord[] }) {
  if (keys.length === 0) return <p>No API keys yet.</p>;
  return (
    <TableWrap label="API keys">
      <table class="table">
        <caption class="visually-hidden">API keys</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Role</th>
            <th scope="col">State</th>
            <th scope="col">Created</th>
            <th scope="col">Last used</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {keys.map((k) => (
            <tr data-row="" data-key-id={k.id} data-name={k.name}>
              <td>{k.name}</td>
              <td>{k.role}</td>
              <td>
                {k.revokedAt ? (
                  <Badge tone="warn">revoked {formatDate(k.revokedAt)}</Badge>
                ) : (
                  <Badge tone="ok">active</Badge>
                )}
              </td>
              <td>{formatDate(k.createdAt)}</td>
              <td>{k.lastUsedAt ? formatDate(k.lastUsedAt) : 'never'}</td>
              <td>
                {k.revokedAt ? null : (
                  <button type="button" class="btn btn-small btn-danger" data-admin-action="revoke">
                    Revoke<span class="visually-hidden"> {k.name}</span>
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

/** `/admin/keys`: API keys — create (the secret shown once), revoke, when each was last used. */
export const adminKeysScreen: Screen = {
  id: 'admin-keys',
  section: 'admin',
  path: '/admin/keys',
  title: 'API keys',
  permission: 'keys:manage',
  async render({ c, principal, services, can }) {
    const keys = (await services.catalog.accounts.listApiKeys(principal.tenant)).sort((a, b) =>
      b.createdAt.localeCompare(a.createdAt),
    );
    const list = <KeyList keys={keys} />;
    if (c.req.query('fragment') === 'list') return c.html(String(await list));
    return {
      scripts: ['copy.js', 'admin.js'],
      body: (
        <>
          <h1>Admin: API keys</h1>
          <AdminNav current="keys" can={can} />
          <p>
            Programs call the API with a key: <code>Authorization: Bearer ff_…</code> or{' '}
            <code>X-API-Key: ff_…</code>.
          </p>
          <SecretPanel id="key-secret" title="The new key">
            <p>Use it like this:</p>
            <pre data-example="" />
          </SecretPanel>
          <div class="split">
            <section aria-labelledby="keys-title">
              <h2 id="keys-title">Keys</h2>
              <div id="key-list">{list}</div>
            </section>
            <Card title="New key">
              <form id="key-create" class="stack">
                <label class="field" for="key-name">
                  <span>
                    Name <span class="hint">— what uses it, e.g. “scanner upload”</span>
                  </span>
                  <input id="key-name" name="name" required maxlength={100} autocomplete="off" />
                </label>
                <label class="field" for="key-role">
                  <span>
                    Role <span class="hint">— what the key may do</span>
                  </span>
                  <select id="key-role" name="role">
                    <option value="viewer">viewer: read</option>
                    <option value="editor">editor: read and upload</option>
                    <option value="admin">admin: everything</option>
                  </select>
                </label>
                <button type="submit" class="btn btn-primary">
                  Create key
                </button>
                <FormStatus id="key-create-status" />
              </form>
            </Card>
          </div>
        </>
      ),
    };
  },
};

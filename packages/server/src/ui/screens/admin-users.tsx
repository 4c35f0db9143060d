import { Badge, Card, FormStatus } from '../components.js';
import { formatDate } from '../format.js';
import type { Screen } from '../screen.js';
import { AdminNav } from './admin-nav.js';
import { TableWrap } from './table-wrap.js';

const ROLES = ['viewer', 'editor', 'admin'] as const;

/** `/admin`: the tenant's users — create one, change a role, disable or enable, delete. */
export const adminUsersScreen: Screen = {
  id: 'admin-users',
  section: 'admin',
  path: '/admin',
  title: 'Users',
  permission: 'users:manage',
  async render({ principal, services, can }) {
    const users = await services.catalog.accounts.listUsers(principal.tenant);
    return {
      scripts: ['admin.js'],
      body: (
        <>
          <h1>Admin: users</h1>
          <AdminNav current="users" can={can} />
          <div class="split">
            <section aria-labelledby="users-title">
              <h2 id="users-title">Users of {principal.tenant}</h2>
              <TableWrap label="Users">
                <table class="table">
                  <caption class="visually-hidden">Users</caption>
                  <thead>
                    <tr>
                      <th scope="col">Email</th>
                      <th scope="col">Role</th>
                      <th scope="col">State</th>
                      <th scope="col">Created</th>
                      <th scope="col">Actions</th>
                    </tr>
                  </thead>
                  <tbody>
                    {users.map((u) => {
                      const self = u.id === principal.userId;
                      return (
                        <tr data-row="" data-user-id={u.id} data-email={u.email}>
                          <td>
                            {u.email}
                            {self ? <span class="muted"> (you)</span> : null}
                          </td>
                          <td>
                            {self ? (
                              u.role
                            ) : (
                              <select data-user-role="" data-was={u.role} aria-label={`Role of ${u.email}`}>
                                {ROLES.map((r) => (
                                  <option value={r} selected={r === u.role}>
                                    {r}
                                  </option>
                                ))}
                              </select>
                            )}
                          </td>
                          <td>
                            {u.disabled ? (
                              <Badge tone="warn">disabled</Badge>
                            ) : (
                              <Badge tone="ok">active</Badge>
                            )}
                          </td>
                          <td>{formatDate(u.createdAt)}</td>
                          <td>
                            {self ? null : (
                              <div class="toolbar">
                                <button
                                  type="button"
                                  class="btn btn-small"
                                  data-admin-action={u.disabled ? 'enable' : 'disable'}
                                >
                                  {u.disabled ? 'Enable' : 'Disable'}
                                  <span class="visually-hidden"> {u.email}</span>
                                </button>
                                <button
                                  type="button"
                                  class="btn btn-small btn-danger"
                                  data-admin-action="delete-user"
                                >
                                  Delete<span class="visually-hidden"> {u.email}</span>
                                </button>
                              </div>
                            )}
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </TableWrap>
            </section>
            <Card title="New user">
              <form
                data-ff-form=""
                action="/api/v1/users"
                data-method="POST"
                class="stack"
                data-ff-done="User created."
              >
                <label class="field" for="new-email">
                  <span>Email</span>
                  <input id="new-email" type="email" name="email" required autocomplete="off" />
                </label>
                <label class="field" for="new-password">
                  <span>
                    Password{' '}
                    <span class="hint">— at least 8 characters; they can change it after signing in</span>
                  </span>
                  <input
                    id="new-password"
                    type="password"
                    name="password"
                    minlength={8}
                    required
                    autocomplete="new-password"
                  />
                </label>
                <label class="field" for="new-role">
                  <span>Role</span>
                  <select id="new-role" name="role">
                    {ROLES.map((r) => (
                      <option value={r}>{r}</option>
                    ))}
                  </select>
                </label>
                <button type="submit" class="btn btn-primary">
                  Create user
                </button>
                <FormStatus />
              </form>
            </Card>
          </div>
        </>
      ),
    };
  },
};

import { Field, FormStatus, Notice } from '../components.js';
import type { Screen } from '../screen.js';

/**
 * `/account/password`: a signed-in person changes their password. The server signs every
 * other session of the account out (its refresh tokens are revoked). Accounts change
 * passwords through `PATCH /api/v1/users/{id}`, which needs the `users:manage` permission:
 * other roles are told to ask an administrator.
 */
export const passwordScreen: Screen = {
  id: 'account',
  path: '/account/password',
  title: 'Change password',
  permission: 'authenticated',
  render({ user, principal, can }) {
    const allowed = principal.kind === 'user' && can('users:manage');
    return {
      body: (
        <div class="narrow card">
          <h1>Change password</h1>
          <p>
            Signed in as {user.email} in tenant {user.tenant}.
          </p>
          {allowed ? (
            <form
              class="stack"
              data-ff-form=""
              action={`/api/v1/users/${encodeURIComponent(user.id)}`}
              data-method="PATCH"
              data-ff-next="/"
              data-ff-done="Password changed. Other sessions are signed out."
            >
              <Field label="New password" hint="8 characters or more">
                <input type="password" name="password" autocomplete="new-password" minlength={8} required />
              </Field>
              <button type="submit" class="btn btn-primary">
                Change password
              </button>
              <FormStatus />
            </form>
          ) : (
            <Notice>
              An administrator of your tenant sets passwords for {user.role} accounts: ask one to change
              yours.
            </Notice>
          )}
        </div>
      ),
    };
  },
};

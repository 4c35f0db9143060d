import { Field, FormStatus } from '../components.js';
import type { Screen } from '../screen.js';

/**
 * `/account/password`: a signed-in person changes their own password, giving the current one
 * (`POST /api/v1/auth/password`). The server ends every session of the account and sets a
 * fresh one in this browser's cookies, so the page stays signed in.
 */
export const passwordScreen: Screen = {
  id: 'account',
  path: '/account/password',
  title: 'Change password',
  permission: 'authenticated',
  render({ user }) {
    return {
      body: (
        <div class="narrow card">
          <h1>Change password</h1>
          <p>
            Signed in as {user.email} in tenant {user.tenant}.
          </p>
          <form
            class="stack"
            data-ff-form=""
            action="/api/v1/auth/password"
            data-method="POST"
            data-ff-next="/"
            data-ff-done="Password changed. Other sessions are signed out."
          >
            <input type="hidden" name="session" value="cookie" />
            <Field label="Current password">
              <input type="password" name="currentPassword" autocomplete="current-password" required />
            </Field>
            <Field label="New password" hint="8 characters or more">
              <input type="password" name="newPassword" autocomplete="new-password" minlength={8} required />
            </Field>
            <button type="submit" class="btn btn-primary">
              Change password
            </button>
            <FormStatus />
          </form>
        </div>
      ),
    };
  },
};

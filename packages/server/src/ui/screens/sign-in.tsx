import { FormStatus } from '../components.js';

/** The first-admin form of a fresh install (no account exists yet). */
export function SetupForm() {
  return (
    <div class="narrow card">
      <h1>Welcome to FileForge</h1>
      <p>Create the first administrator account to start.</p>
      <form id="setup" class="stack" method="post" action="/api/v1/setup">
        <label class="field">
          <span>Email</span>
          <input type="email" name="email" autocomplete="username" required />
        </label>
        <label class="field">
          <span>
            Password <span class="hint">— at least 8 characters</span>
          </span>
          <input type="password" name="password" autocomplete="new-password" minlength={8} required />
        </label>
        <button type="submit" class="btn btn-primary">
          Create administrator
        </button>
        <FormStatus id="message" />
      </form>
    </div>
  );
}

/**
 * The sign-in form. The tenant field stays hidden until the server answers that the email
 * opens accounts in several tenants.
 */
export function SignInForm() {
  return (
    <div class="narrow card">
      <h1>Sign in</h1>
      <form id="login" class="stack" method="post" action="/api/v1/auth/login">
        <label class="field">
          <span>Email</span>
          <input type="email" name="email" autocomplete="username" required />
        </label>
        <label class="field">
          <span>Password</span>
          <input type="password" name="password" autocomplete="current-password" required />
        </label>
        <label id="tenant-field" hidden>
          Tenant <input name="tenant" list="tenant-choices" autocomplete="organization" />
        </label>
        <datalist id="tenant-choices" />
        <button type="submit" class="btn btn-primary">
          Sign in
        </button>
        <FormStatus id="message" />
      </form>
      <p>
        <small>
          <a href="/docs">API reference</a>
        </small>
      </p>
    </div>
  );
}

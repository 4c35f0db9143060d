/**
 * The client's credentials: a fixed API key or token, or a session from a login whose access
 * token is renewed for the caller (refresh token first, the stored email and password next).
 * @module
 */
import type { Session } from './api-types.js';
import { errorFromFailure } from './errors.js';
import type { Authenticator, Transport } from './transport.js';

/** Email and password of a FileForge account (and its tenant when the email is in several). */
export interface LoginCredentials {
  email: string;
  password: string;
  /** Needed when the email has accounts in several tenants (else 409 `TENANT_REQUIRED`). */
  tenant?: string;
}

/** How the client authenticates; pass at most one of `apiKey`, `token` and `credentials`. */
export interface ClientAuthOptions {
  /** An API key (`ffk_…`), sent as `Authorization: Bearer`. Never expires on its own. */
  apiKey?: string;
  /** An access token from a login. Renewed after expiry only when `refreshToken` is given too. */
  token?: string;
  /** The refresh token that came with `token`. */
  refreshToken?: string;
  /** Logs in with these on the first call and again whenever the session cannot be refreshed. */
  credentials?: LoginCredentials;
}

/** Renew a session token this long before it expires when a request cannot be repeated (a streamed upload). */
const EARLY_RENEWAL_MS = 30_000;

/** The {@link Authenticator} of a client. */
export class ClientSession implements Authenticator {
  private accessToken: string | undefined;
  private refreshToken: string | undefined;
  private expiresAt: number | undefined;
  private renewal: Renewal | undefined;
  private readonly apiKey: string | undefined;
  private readonly credentials: LoginCredentials | undefined;

  /** Reads the credentials of `options` (bad combinations throw here, not on first use). */
  constructor(
    private readonly transport: Transport,
    options: ClientAuthOptions,
    private readonly now: () => number = Date.now,
  ) {
    const given = [options.apiKey, options.token, options.credentials].filter((v) => v !== undefined);
    if (given.length > 1) {
      throw new TypeError('[fileforge:client] Pass only one of apiKey, token and credentials');
    }
    this.apiKey = options.apiKey;
    this.accessToken = options.token;
    this.refreshToken = options.refreshToken;
    this.credentials = options.credentials;
  }

  /** {@inheritDoc Authenticator.authorization} */
  async authorization(signal: AbortSignal | undefined, fresh: boolean): Promise<string | undefined> {
    if (this.apiKey) return `Bearer ${this.apiKey}`;
    if (!this.accessToken && this.credentials) await this.renew(undefined, signal);
    const soon = this.expiresAt !== undefined && this.expiresAt - this.now() < EARLY_RENEWAL_MS;
    if (fresh && soon && (this.refreshToken || this.credentials)) await this.renew(this.current(), signal);
    return this.current();
  }

  /** {@inheritDoc Authenticator.renew} */
  renew(used: string | undefined, signal: AbortSignal | undefined): Promise<boolean> {
    if (this.apiKey) return Promise.resolve(false);
    // Another request renewed the token since this one was sent: just repeat it.
    if (used !== undefined && used !== this.current()) return Promise.resolve(true);
    if (!this.renewal) {
      // Shared by every call that needs it meanwhile: one caller's signal only stops that
      // caller waiting; the renewal itself is aborted once every caller waiting for it has left.
      const controller = new AbortController();
      const promise = this.renewNow(controller.signal).finally(() => {
        if (this.renewal?.promise === promise) this.renewal = undefined;
      });
      // Its failure reaches the callers still waiting; with none left it is not unhandled.
      promise.catch(() => {});
      this.renewal = { promise, controller, waiting: 0 };
    }
    return waitFor(this.renewal, signal);
  }

  /** Logs in and keeps the session for the following calls. */
  async login(credentials: LoginCredentials, signal?: AbortSignal): Promise<Session> {
    const session = await this.transport.json<Session>({
      method: 'POST',
      path: '/api/v1/auth/login',
      json: credentials,
      anonymous: true,
      signal,
    });
    return this.keep(session);
  }

  /** Exchanges the refresh token for a new session (the old refresh token is spent). */
  async refresh(signal?: AbortSignal): Promise<Session> {
    if (!this.refreshToken) {
      throw new TypeError('[fileforge:client] No refresh token: log in first (client.auth.login)');
    }
    const session = await this.transport.json<Session>({
      method: 'POST',
      path: '/api/v1/auth/refresh',
      json: { refreshToken: this.refreshToken },
      anonymous: true,
      signal,
    });
    return this.keep(session);
  }

  /** Revokes the session on the server and forgets its tokens. */
  async logout(signal?: AbortSignal): Promise<void> {
    const refreshToken = this.refreshToken;
    this.accessToken = this.refreshToken = this.expiresAt = undefined;
    if (!refreshToken) return;
    await this.transport.send({
      method: 'POST',
      path: '/api/v1/auth/logout',
      json: { refreshToken },
      anonymous: true,
      signal,
    });
  }

  private current(): string | undefined {
    return this.accessToken ? `Bearer ${this.accessToken}` : undefined;
  }

  private keep(session: Session): Session {
    this.accessToken = session.accessToken;
    this.refreshToken = session.refreshToken ?? this.refreshToken;
    this.expiresAt = this.now() + session.expiresIn * 1000;
    return session;
  }

  private async renewNow(signal: AbortSignal): Promise<boolean> {
    if (this.refreshToken) {
      try {
        await this.refresh(signal);
        return true;
      } catch (error) {
        if (!this.credentials) return false;
        if (signal.aborted) throw error;
      }
    }
    if (!this.credentials) return false;
    await this.login(this.credentials, signal);
    return true;
  }
}

/** A login or refresh under way, shared by the calls that need it. */
interface Renewal {
  promise: Promise<boolean>;
  controller: AbortController;
  /** Callers waiting for it with a signal; one without a signal waits to the end. */
  waiting: number;
}

/**
 * Waits for `renewal` until `signal` fires (then `ABORTED` / `TIMEOUT` for this caller only);
 * the last caller to leave that way aborts the renewal. A caller without a signal never leaves.
 */
function waitFor(renewal: Renewal, signal: AbortSignal | undefined): Promise<boolean> {
  if (!signal) {
    renewal.waiting = Number.POSITIVE_INFINITY;
    return renewal.promise;
  }
  renewal.waiting++;
  return new Promise<boolean>((resolve, reject) => {
    const leave = () => {
      reject(errorFromFailure(signal.reason, signal));
      if (--renewal.waiting === 0) renewal.controller.abort(signal.reason);
    };
    if (signal.aborted) return leave();
    signal.addEventListener('abort', leave, { once: true });
    renewal.promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', leave));
  });
}

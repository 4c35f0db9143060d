/**
 * `client.auth`: log in and out, who am I, and API keys. Refreshing an expired access token
 * needs no call: the client does it after a 401 and repeats the request once.
 * @module
 */

import { callApi } from '../api-call.js';
import type { ApiKey, CreatedApiKey, NewApiKey, Session } from '../api-types.js';
import type { ClientSession, LoginCredentials } from '../session.js';
import type { Transport } from '../transport.js';
import type { CallOptions } from './files.js';

/** `client.auth.apiKeys`: API keys of your tenant (admins). */
export class ApiKeysApi {
  /** @internal */
  constructor(private readonly transport: Transport) {}

  /** Creates a key; its secret (`key`) is in this answer only. */
  create(key: NewApiKey, options: CallOptions = {}): Promise<CreatedApiKey> {
    return callApi(this.transport, 'post', '/api/v1/api-keys', { json: key, ...options });
  }

  /** The keys of your tenant (never their secrets). */
  async list(options: CallOptions = {}): Promise<ApiKey[]> {
    return (await callApi(this.transport, 'get', '/api/v1/api-keys', options)).items;
  }

  /** Revokes a key: requests made with it are refused from now on. */
  async revoke(id: string, options: CallOptions = {}): Promise<void> {
    await callApi(this.transport, 'delete', '/api/v1/api-keys/{id}', { params: { id }, ...options });
  }
}

/** `client.auth`. */
export class AuthApi {
  /** API keys of your tenant. */
  readonly apiKeys: ApiKeysApi;

  /** @internal */
  constructor(
    private readonly transport: Transport,
    private readonly session: ClientSession,
  ) {
    this.apiKeys = new ApiKeysApi(transport);
  }

  /** Logs in; the following calls use the session, refreshed for you as it expires. */
  login(credentials: LoginCredentials, options: CallOptions = {}): Promise<Session> {
    return this.session.login(credentials, options.signal);
  }

  /** Exchanges the refresh token for a new session now (the client also does this on a 401). */
  refresh(options: CallOptions = {}): Promise<Session> {
    return this.session.refresh(options.signal);
  }

  /** Revokes the session on the server and forgets its tokens. */
  logout(options: CallOptions = {}): Promise<void> {
    return this.session.logout(options.signal);
  }

  /** The caller: kind (`user` or `api_key`), role, tenant and user. */
  me(options: CallOptions = {}) {
    return callApi(this.transport, 'get', '/api/v1/auth/me', options);
  }
}

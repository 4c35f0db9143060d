/**
 * The auth strategy contract: how a connector signs its requests. One interface, one file per
 * strategy (`bearer.ts`, `basic.ts`, `oauth2.ts`), each with a `createX()` factory.
 *
 * @module
 */

/**
 * What a sign-in learnt besides the headers, for the actions to read: the token endpoint's
 * answer (Salesforce's `instance_url`, granted scopes, …) and whatever else the strategy keeps.
 */
export type AuthSession = Readonly<Record<string, unknown>>;

/** Signs a connector's requests. */
export interface AuthStrategy {
  /** `bearer`, `basic`, `oauth2`, … (shown in docs and logs). */
  readonly kind: string;
  /** The headers to put on a request; may fetch (or wait for) a token first. */
  authorize(signal?: AbortSignal): Promise<Record<string, string>>;
  /**
   * The remote answered 401 to a request signed with `rejected` (what `authorize()` gave).
   * Returns true when calling `authorize()` again may help (a new token will be fetched); the
   * caller then retries that request **once**. A static credential returns false.
   */
  invalidate?(rejected: Record<string, string>): boolean;
  /**
   * The current session (signing in first when there is none yet). Optional: a static
   * credential has nothing to tell; `ConnectorClient.session()` then gives `{}`.
   */
  session?(signal?: AbortSignal): Promise<AuthSession>;
}

/**
 * The Microsoft identity platform's token endpoint, shared by the connectors that sign in
 * with it (Dynamics 365 for Dataverse, Teams for Graph): the public-cloud authority, the v2.0
 * token URL of a tenant, and a cached single-flight OAuth2 strategy against it with the
 * client's id and secret as form fields.
 *
 * @module
 */
import { createOAuth2Auth, type OAuth2Auth, type TokenParams } from '../auth/oauth2.js';
import { resolveUrl } from './client.js';
import type { AuthContext } from './define.js';

/** The Microsoft identity platform (public cloud); national clouds have their own. */
export const MICROSOFT_AUTHORITY_URL = 'https://login.microsoftonline.com';

/** `{authorityUrl}/{tenantId}/oauth2/v2.0/token`. */
export function microsoftTokenUrl(authorityUrl: string, tenantId: string): string {
  return resolveUrl(authorityUrl, `${encodeURIComponent(tenantId)}/oauth2/v2.0/token`);
}

/** Options of {@link createMicrosoftIdentityAuth}. */
export interface MicrosoftIdentityAuthOptions extends AuthContext {
  /** The connector's slug, for error messages. */
  integration: string;
  /** The identity platform host, e.g. {@link MICROSOFT_AUTHORITY_URL}. */
  authorityUrl: string;
  /** Directory (tenant) id or domain of the app registration. */
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** Grant and scope, e.g. `{ grant_type: 'client_credentials', scope: '…/.default' }`; a function is called per token request. */
  params: TokenParams | (() => TokenParams | Promise<TokenParams>);
}

/** An OAuth2 strategy against the tenant's v2.0 token endpoint (client id and secret in the form). */
export function createMicrosoftIdentityAuth(options: MicrosoftIdentityAuthOptions): OAuth2Auth {
  const { integration, authorityUrl, tenantId, clientId, clientSecret, params, http, now } = options;
  return createOAuth2Auth({
    integration,
    tokenUrl: microsoftTokenUrl(authorityUrl, tenantId),
    clientId,
    clientSecret,
    params,
    http,
    now,
  });
}

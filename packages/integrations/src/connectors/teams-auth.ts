/**
 * Microsoft identity platform tokens for Graph (specs/connectors.md §5 Auth): app-only
 * (client credentials, scope `https://graph.microsoft.com/.default`) or delegated (a refresh
 * token from a one-time authorization-code sign-in, exchanged for access tokens as needed).
 * Both come from `{authorityUrl}/{tenantId}/oauth2/v2.0/token` — the client authenticated by
 * its secret or a certificate assertion — with a cached single-flight token and one new token
 * after a 401.
 *
 * Why two modes: Graph refuses channel messages from app-only tokens (only
 * `Teamwork.Migrate.All`, for imports), so posting needs a user's delegated token; uploads work
 * with either.
 *
 * @module
 */
import type { AuthStrategy } from '../auth/types.js';
import type { AuthContext } from './define.js';
import { certificateOf, createMicrosoftIdentityAuth } from './microsoft-identity.js';
/** Scope of an app-only Graph token [doc]. */
export const GRAPH_APP_SCOPE = 'https://graph.microsoft.com/.default';
/** Scopes a delegated token asks for when it is refreshed (`offline_access` keeps a refresh token coming). */
export const GRAPH_DELEGATED_SCOPES = [
  'https://graph.microsoft.com/ChannelMessage.Send',
  'https://graph.microsoft.com/Files.ReadWrite.All',
  'offline_access',
].join(' ');

/** What the token requests need from the credentials. */
export interface GraphAuthCredentials {
  tenantId: string;
  clientId: string;
  clientSecret?: string | undefined;
  certificatePrivateKey?: string | undefined;
  certificateThumbprint?: string | undefined;
  refreshToken?: string | undefined;
  authorityUrl: string;
}

/**
 * The Graph token strategy: delegated when the credentials carry a `refreshToken`, else
 * app-only. The identity platform rotates refresh tokens; the newest one is kept in memory and
 * used for the next refresh (the stored credential stays valid until it expires unused, 90 days).
 */
export function createGraphAuth(c: GraphAuthCredentials, { http, now }: AuthContext): AuthStrategy {
  const base = {
    integration: 'teams',
    authorityUrl: c.authorityUrl,
    tenantId: c.tenantId,
    clientId: c.clientId,
    clientSecret: c.clientSecret,
    certificate: certificateOf(c),
    http,
    now,
  };
  if (c.refreshToken === undefined) {
    return createMicrosoftIdentityAuth({
      ...base,
      params: { grant_type: 'client_credentials', scope: GRAPH_APP_SCOPE },
    });
  }
  let refreshToken = c.refreshToken;
  const oauth = createMicrosoftIdentityAuth({
    ...base,
    params: () => ({
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      scope: GRAPH_DELEGATED_SCOPES,
    }),
  });
  return {
    kind: 'oauth2-delegated',
    async authorize(signal) {
      const token = await oauth.token(signal);
      const rotated = token.response.refresh_token;
      if (typeof rotated === 'string' && rotated !== '') refreshToken = rotated;
      return { authorization: `Bearer ${token.accessToken}` };
    },
    invalidate: (headers) => oauth.invalidate?.(headers) ?? false,
  };
}

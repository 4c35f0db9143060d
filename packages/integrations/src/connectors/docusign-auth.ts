/**
 * DocuSign's JWT grant and account discovery (specs/connectors.md §3 Auth).
 *
 * How this works: every token request carries a fresh RS256 assertion (`iss` = integration
 * key, `sub` = the user to impersonate, `aud` = the account server's host — no scheme —,
 * `scope` = `signature impersonation`) sent to `{authServer}/oauth/token`; DocuSign gives no
 * refresh token, so an expired token is replaced by running the grant again (the OAuth2
 * strategy does that once per 401). Then `GET {authServer}/oauth/userinfo` names the user's
 * accounts and the `base_uri` of each; it is itself rate limited, so one answer is kept per
 * connector, by the connector's auth strategy (`client.auth`; a failed lookup is not kept).
 *
 * @module
 */
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { FileForgeError } from '@fileforge/core';
import { z } from 'zod';
import { createJwtAssertion, JWT_BEARER_GRANT } from '../auth/jwt-bearer.js';
import { createOAuth2Auth } from '../auth/oauth2.js';
import type { AuthStrategy } from '../auth/types.js';
import { resolveUrl } from './client.js';
import type { AuthContext, ConnectorClient } from './define.js';
import { rejected, upstream } from './errors.js';

/** The scopes a JWT grant asks for [doc]. */
export const DOCUSIGN_SCOPE = 'signature impersonation';

/** What the auth and account lookup need from the credentials. */
export interface DocuSignAuthCredentials {
  integrationKey: string;
  userId: string;
  privateKey: string;
  authServer: string;
  accountId?: string | undefined;
  redirectUri?: string | undefined;
}

/** The account calls go to, from userinfo. */
export interface DocuSignAccount {
  accountId: string;
  accountName: string | undefined;
  /** e.g. `https://demo.docusign.net`. */
  baseUri: string;
  /** `{baseUri}/restapi/v2.1/accounts/{accountId}` — the REST base of every envelope call. */
  apiBase: string;
  user: { sub: string; name: string | undefined; email: string | undefined };
}

const INTEGRATION = 'docusign';

/** Why a JWT grant was refused, in words an administrator can act on. */
function explainGrantError(error: unknown, c: DocuSignAuthCredentials): unknown {
  if (!FileForgeError.is(error)) return error;
  const code = error.details?.vendorCode;
  if (code === 'consent_required') {
    const consent = new URL(resolveUrl(c.authServer, 'oauth/auth'));
    consent.searchParams.set('response_type', 'code');
    consent.searchParams.set('scope', DOCUSIGN_SCOPE);
    consent.searchParams.set('client_id', c.integrationKey);
    consent.searchParams.set('redirect_uri', c.redirectUri ?? 'https://www.docusign.com');
    return rejected(
      `Consent required: user ${c.userId} has not granted the integration key "signature impersonation". ` +
        `An administrator (or that user) must open ${consent.toString()} once and accept` +
        (c.redirectUri ? '' : ' (redirect_uri must be one registered for the integration key)'),
      {
        integration: INTEGRATION,
        status: 400,
        vendorCode: 'consent_required',
        consentUrl: consent.toString(),
      },
    );
  }
  const hints: Record<string, string> = {
    issuer_not_found: 'the integration key is unknown on this account server (demo vs production?)',
    user_not_found: 'the user id (GUID) is unknown on this account server',
    no_valid_keys_or_signatures: "the private key is not one of the integration key's RSA key pairs",
  };
  const hint =
    typeof error.message === 'string' ? Object.keys(hints).find((k) => error.message.includes(k)) : undefined;
  if (hint) {
    return rejected(`JWT grant refused (${hint}): ${hints[hint]}`, {
      integration: INTEGRATION,
      status: 400,
      vendorCode: hint,
    });
  }
  return error;
}

/** The JWT-grant strategy, which also keeps the connector's account. */
export interface DocuSignAuth extends AuthStrategy {
  /** The account, from `lookUp` the first time it is asked for; a failed lookup is asked again next time. */
  account(lookUp: () => Promise<DocuSignAccount>): Promise<DocuSignAccount>;
}

/**
 * The JWT-grant strategy: a cached, single-flight token, a new grant after a 401, DocuSign's
 * refusals (`consent_required`, `issuer_not_found`, …) explained, and the account kept.
 */
export function createDocuSignAuth(c: DocuSignAuthCredentials, { http, now }: AuthContext): DocuSignAuth {
  let key: KeyObject | undefined;
  let account: Promise<DocuSignAccount> | undefined;
  const oauth = createOAuth2Auth({
    integration: INTEGRATION,
    tokenUrl: resolveUrl(c.authServer, 'oauth/token'),
    http,
    now,
    params: async () => {
      key ??= createPrivateKey(c.privateKey);
      return {
        grant_type: JWT_BEARER_GRANT,
        assertion: await createJwtAssertion({
          privateKey: key,
          issuer: c.integrationKey,
          subject: c.userId,
          audience: new URL(c.authServer).host,
          scope: DOCUSIGN_SCOPE,
          // only has to outlive the token request; DocuSign accepts up to an hour
          ttlSeconds: 600,
          now,
        }),
      };
    },
  });
  return {
    kind: 'oauth2-jwt-grant',
    async authorize(signal) {
      try {
        return await oauth.authorize(signal);
      } catch (error) {
        throw explainGrantError(error, c);
      }
    },
    invalidate: (headers) => oauth.invalidate?.(headers) ?? false,
    async session(signal) {
      try {
        return await oauth.session(signal);
      } catch (error) {
        throw explainGrantError(error, c);
      }
    },
    account(lookUp) {
      if (!account) {
        const pending = lookUp();
        account = pending;
        pending.catch(() => {
          if (account === pending) account = undefined;
        });
      }
      return account;
    },
  };
}

/** `GET /oauth/userinfo`, the parts read. */
const userInfo = z.object({
  sub: z.string(),
  name: z.string().optional(),
  email: z.string().optional(),
  accounts: z
    .array(
      z.object({
        account_id: z.string(),
        is_default: z.boolean().optional(),
        account_name: z.string().optional(),
        base_uri: z.string(),
      }),
    )
    .optional(),
});

/**
 * The account (and its REST base) the connector works in: `accountId` from the credentials, or
 * the user's default account. Asked once per connector (kept by its {@link DocuSignAuth}); a
 * failed lookup is asked again next time.
 */
export function docusignAccount(client: ConnectorClient<DocuSignAuthCredentials>): Promise<DocuSignAccount> {
  const auth = client.auth as Partial<DocuSignAuth>;
  if (typeof auth.account !== 'function') {
    throw upstream(
      'The DocuSign client is not signed by createDocuSignAuth()',
      { integration: INTEGRATION },
      { retryable: false },
    );
  }
  return auth.account(() => lookUpAccount(client));
}

async function lookUpAccount(client: ConnectorClient<DocuSignAuthCredentials>): Promise<DocuSignAccount> {
  const { data: info } = await client.request({ path: 'oauth/userinfo', response: userInfo });
  const wanted = client.credentials.accountId;
  const list = info.accounts ?? [];
  const account = wanted
    ? list.find((a) => a.account_id === wanted)
    : (list.find((a) => a.is_default) ?? list[0]);
  if (!account) {
    throw rejected(
      wanted
        ? `User ${info.sub} has no access to account ${wanted}; accounts: ${list.map((a) => a.account_id).join(', ') || 'none'}`
        : `User ${info.sub} belongs to no DocuSign account`,
      { integration: INTEGRATION, vendorCode: 'ACCOUNT_NOT_FOUND' },
    );
  }
  const baseUri = account.base_uri.replace(/\/+$/, '');
  return {
    accountId: account.account_id,
    accountName: account.account_name,
    baseUri,
    apiBase: `${baseUri}/restapi/v2.1/accounts/${encodeURIComponent(account.account_id)}`,
    user: { sub: info.sub, name: info.name, email: info.email },
  };
}

/**
 * The Salesforce fake's token endpoint, `POST /services/oauth2/token`, as the My Domain host
 * and as the login host answer it: client credentials (id/secret in the form or HTTP Basic,
 * My Domain only) and JWT bearer (RS256 assertion; `iss` = consumer key, `sub` = username,
 * `aud` = a login URL, `exp` at most 3 minutes ahead). Errors are Salesforce's
 * `{error, error_description}` with HTTP 400.
 *
 * @module
 */
import { createHmac } from 'node:crypto';
import type { Context } from 'hono';
import type { FakeService } from './fake-service.js';
import { formFields, verifyRs256 } from './signing-keys.js';

/** What the token endpoint needs to know about the org. */
export interface SalesforceTokenContext {
  service: FakeService;
  login: FakeService;
  /** Issues a live access token. */
  issue: () => string;
  clientId: string;
  clientSecret: string;
  username: string;
  orgId: string;
  userId: string;
  publicKeyPem: string;
  clock: () => number;
}

/** Mounts the token endpoint on the My Domain host and on the login host. */
export function mountSalesforceToken(ctx: SalesforceTokenContext): void {
  const { service, login, issue, clientId, clientSecret, username, orgId, userId, publicKeyPem, clock } = ctx;
  async function token(c: Context, onMyDomain: boolean): Promise<Response> {
    const form = formFields(c.req.header('content-type'), await c.req.text());
    const oauthError = (error: string, description: string) =>
      Response.json({ error, error_description: description }, { status: 400 });
    if (!form) return oauthError('unsupported_grant_type', 'grant type not supported');
    const grant = form.get('grant_type');
    if (grant === 'client_credentials') {
      if (!onMyDomain) return oauthError('invalid_grant', 'request not supported on this domain');
      const basic = /^Basic (.+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
      const [basicId, basicSecret] = basic ? Buffer.from(basic, 'base64').toString().split(':') : [];
      const id = form.get('client_id') ?? basicId;
      const secret = form.get('client_secret') ?? basicSecret;
      if (id !== clientId) return oauthError('invalid_client_id', 'client identifier invalid');
      if (secret !== clientSecret) return oauthError('invalid_client', 'invalid client credentials');
    } else if (grant === 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
      const verified = await verifyRs256(form.get('assertion') ?? '', publicKeyPem, clock());
      if (!verified.ok) return oauthError('invalid_grant', 'invalid assertion');
      const { iss, sub, aud, exp } = verified.claims;
      if (iss !== clientId) return oauthError('invalid_client_id', 'client identifier invalid');
      const audiences = [
        'https://login.salesforce.com',
        'https://test.salesforce.com',
        // the stand-in for login.salesforce.com; a My Domain host is a token URL, never an `aud`
        login.url,
      ];
      if (!(Array.isArray(aud) ? aud : [aud]).some((a) => audiences.includes(String(a)))) {
        return oauthError('invalid_grant', 'audience is invalid');
      }
      if (exp === undefined || exp * 1000 > clock() + 185_000)
        return oauthError('invalid_grant', 'invalid assertion');
      if (sub !== username) return oauthError('invalid_grant', "user hasn't approved this consumer");
    } else {
      return oauthError('unsupported_grant_type', 'grant type not supported');
    }
    const accessToken = issue();
    const issuedAt = String(clock());
    const idUrl = `${login.url}/id/${orgId}/${userId}`;
    const signature = createHmac('sha256', clientSecret)
      .update(idUrl + issuedAt)
      .digest('base64');
    return Response.json({
      access_token: accessToken,
      signature,
      scope: 'api',
      instance_url: service.url,
      id: idUrl,
      token_type: 'Bearer',
      issued_at: issuedAt,
      token_format: 'opaque',
    });
  }
  service.app.post('/services/oauth2/token', (c) => token(c, true));
  login.app.post('/services/oauth2/token', (c) => token(c, false));
}

/**
 * The DocuSign fake's account server: the JWT grant (`POST /oauth/token`) and
 * `GET /oauth/userinfo`, answering DocuSign's OAuth errors (`issuer_not_found`,
 * `no_valid_keys_or_signatures`, `user_not_found`, `consent_required`, …). Descriptions for an
 * expired assertion or a wrong `aud` are not documented; the fake answers `invalid_grant` /
 * `invalid_request` for them.
 *
 * @module
 */
import { decodeJwt } from 'jose';
import type { FakeService } from './fake-service.js';
import { bearerOf } from './fake-service.js';
import { formFields, verifyRs256 } from './signing-keys.js';

/** What the account server needs to know. */
export interface DocuSignOAuthContext {
  service: FakeService;
  integrationKey: string;
  userId: string;
  accountId: string;
  publicKeyPem: string;
  /** The accepted JWT `aud` (host only). */
  audience: () => string;
  clock: () => number;
  consented: () => boolean;
  issueToken: () => string;
  ttl: number;
}

/** Mounts `/oauth/token` and `/oauth/userinfo` on the service. */
export function mountDocuSignOAuth(ctx: DocuSignOAuthContext): void {
  const {
    service,
    integrationKey,
    userId,
    accountId,
    publicKeyPem,
    audience,
    clock,
    consented,
    issueToken,
    ttl,
  } = ctx;
  service.app.post('/oauth/token', async (c) => {
    const form = formFields(c.req.header('content-type'), await c.req.text());
    const oauthError = (error: string, description?: string) =>
      Response.json(description ? { error, error_description: description } : { error }, { status: 400 });
    if (!form) return oauthError('invalid_request');
    if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer')
      return oauthError('unsupported_grant_type');
    const assertion = form.get('assertion') ?? '';
    let iss: unknown;
    try {
      iss = decodeJwt(assertion).iss;
    } catch {
      return oauthError('invalid_request');
    }
    if (iss !== integrationKey) return oauthError('invalid_grant', 'issuer_not_found');
    const verified = await verifyRs256(assertion, publicKeyPem, clock());
    if (!verified.ok) {
      return verified.reason === 'signature' || verified.reason === 'malformed'
        ? oauthError('invalid_grant', 'no_valid_keys_or_signatures')
        : oauthError('invalid_grant', 'invalid_request');
    }
    const { aud, sub, iat, exp, scope } = verified.claims as Record<string, unknown>;
    if (aud !== audience()) return oauthError('invalid_grant', 'invalid_request');
    if (typeof exp !== 'number' || typeof iat !== 'number' || exp - iat > 3600) {
      return oauthError('invalid_grant', 'invalid_request');
    }
    if (sub !== userId) return oauthError('invalid_grant', 'user_not_found');
    const scopes = String(scope ?? '').split(/\s+/);
    if (!scopes.includes('signature') || !scopes.includes('impersonation'))
      return oauthError('invalid_scope');
    if (!consented()) return oauthError('consent_required');
    return c.json({ access_token: issueToken(), token_type: 'Bearer', expires_in: ttl });
  });

  service.app.get('/oauth/userinfo', (c) => {
    if (!service.tokens.check(bearerOf(c))) return c.json({ error: 'invalid_token' }, 401);
    return c.json({
      sub: userId,
      name: 'Ada Lovelace',
      given_name: 'Ada',
      family_name: 'Lovelace',
      email: 'ada@example.com',
      accounts: [
        { account_id: accountId, is_default: true, account_name: 'FileForge Demo', base_uri: service.url },
      ],
    });
  });
}

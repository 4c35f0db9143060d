/**
 * The Oracle fake's identity domain (IDCS) token endpoint, `POST /oauth2/v1/token` (spec §7
 * "Auth"). The client always authenticates with `Authorization: Basic base64(id:secret)`; the
 * form body is `application/x-www-form-urlencoded` and carries either
 *
 * - `grant_type=client_credentials&scope=…`, or
 * - `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=…&scope=…`: a JWT user
 *   assertion, checked as the identity domain documents it (Oracle "Client/User JWT
 *   Assertion"): header `alg` RS256 with a `kid` (the certificate alias) or `x5t` naming a
 *   certificate trusted by the confidential application, a valid signature and time window,
 *   `iss` = the client id, `aud` containing `https://identity.oraclecloud.com/`, and `sub` an
 *   existing user. The token then acts as that user.
 *
 * Errors are RFC 6749's `{ error, error_description }`: 401 `invalid_client`, 400
 * `invalid_grant` / `invalid_scope` / `invalid_request` / `unsupported_grant_type`.
 *
 * @module
 */
import { createHash, X509Certificate } from 'node:crypto';
import type { Context } from 'hono';
import { decodeProtectedHeader } from 'jose';
import type { FakeService } from './fake-service.js';
import { formFields, verifyRs256 } from './signing-keys.js';

/** The `aud` every user assertion must carry [doc]. */
export const IDCS_AUDIENCE = 'https://identity.oraclecloud.com/';

/** What the token endpoint knows about the identity domain. */
export interface IdcsTokenContext {
  service: FakeService;
  clientId: string;
  clientSecret: string;
  scope: string;
  /** Certificates trusted for assertions: alias (`kid`) → SPKI public key PEM or X.509 certificate PEM. */
  trustedCertificates: ReadonlyMap<string, string>;
  /** Users an assertion may name. */
  users: ReadonlySet<string>;
  ttlSec: number;
  now: () => number;
}

const fail = (c: Context, status: 400 | 401, error: string, description: string) =>
  c.json({ error, error_description: description }, status);

/** The SHA-1 thumbprint (`x5t`) of a trusted X.509 certificate, for lookups by thumbprint. */
function thumbprintOf(pem: string): string | undefined {
  if (!pem.includes('BEGIN CERTIFICATE')) return undefined;
  return createHash('sha1').update(new X509Certificate(pem).raw).digest('base64url');
}

/** The public key PEM of a trusted entry (a certificate's key, or the key itself). */
function publicKeyOf(pem: string): string {
  return pem.includes('BEGIN CERTIFICATE')
    ? new X509Certificate(pem).publicKey.export({ type: 'spki', format: 'pem' }).toString()
    : pem;
}

/** Mounts the token endpoint on the fake. */
export function mountIdcsToken(ctx: IdcsTokenContext): void {
  ctx.service.app.post('/oauth2/v1/token', async (c) => {
    const basic = /^Basic (.+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
    // user-id:password, split at the first colon: a secret may hold colons (RFC 7617).
    const pair = Buffer.from(basic ?? '', 'base64').toString('utf8');
    const colon = pair.indexOf(':');
    const [id, secret] = colon < 0 ? [pair, undefined] : [pair.slice(0, colon), pair.slice(colon + 1)];
    if (id !== ctx.clientId || secret !== ctx.clientSecret)
      return fail(c, 401, 'invalid_client', 'Client authentication failed.');
    const form = formFields(c.req.header('content-type'), await c.req.text());
    if (!form) return fail(c, 400, 'invalid_request', 'The request must be form-encoded.');
    const grant = form.get('grant_type');
    let subject: string;
    if (grant === 'client_credentials') {
      subject = `client:${id}`;
    } else if (grant === 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
      const user = await userOf(ctx, form.get('assertion'));
      if ('error' in user) return fail(c, 400, 'invalid_grant', user.error);
      subject = `user:${user.sub}`;
    } else {
      return fail(c, 400, 'unsupported_grant_type', `Unsupported grant type ${grant}.`);
    }
    if (form.get('scope') !== ctx.scope)
      return fail(c, 400, 'invalid_scope', 'The requested scope is invalid, unknown, or malformed.');
    return c.json({
      access_token: ctx.service.tokens.issue(subject, ctx.ttlSec),
      token_type: 'Bearer',
      expires_in: ctx.ttlSec,
    });
  });
}

async function userOf(
  ctx: IdcsTokenContext,
  assertion: string | null,
): Promise<{ sub: string } | { error: string }> {
  if (!assertion) return { error: 'The assertion is missing.' };
  let header: { alg?: string; kid?: string; x5t?: string };
  try {
    header = decodeProtectedHeader(assertion);
  } catch {
    return { error: 'Invalid user assertion: not a JWT.' };
  }
  if (header.alg !== 'RS256')
    return { error: `Invalid user assertion: unsupported algorithm ${header.alg}.` };
  if (!header.kid && !header.x5t) return { error: 'Invalid user assertion: the header needs kid or x5t.' };
  const trusted = [...ctx.trustedCertificates].find(
    ([alias, pem]) => alias === header.kid || (header.x5t !== undefined && thumbprintOf(pem) === header.x5t),
  );
  if (!trusted) return { error: 'Invalid user assertion: the signing certificate is not trusted.' };
  const verified = await verifyRs256(assertion, publicKeyOf(trusted[1]), ctx.now());
  if (!verified.ok) return { error: `Invalid user assertion: ${verified.reason}.` };
  const { iss, aud, sub, exp } = verified.claims;
  if (exp === undefined) return { error: 'Invalid user assertion: exp is required.' };
  if (iss !== ctx.clientId) return { error: 'Invalid user assertion: iss must be the client id.' };
  if (!(Array.isArray(aud) ? aud : [aud]).includes(IDCS_AUDIENCE))
    return { error: `Invalid user assertion: aud must include ${IDCS_AUDIENCE}.` };
  if (typeof sub !== 'string' || !ctx.users.has(sub))
    return { error: `Invalid user assertion: user ${String(sub)} not found.` };
  return { sub };
}

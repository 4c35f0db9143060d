/**
 * The Microsoft identity platform's token endpoint, shared by the connectors that sign in
 * with it (Dynamics 365 for Dataverse, Teams for Graph): the public-cloud authority, the v2.0
 * token URL of a tenant, and a cached single-flight OAuth2 strategy against it with the
 * client's id and secret as form fields, or a certificate `client_assertion`.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { createJwtAssertion } from '../auth/jwt-bearer.js';
import { createOAuth2Auth, type OAuth2Auth, type TokenParams } from '../auth/oauth2.js';
import { resolveUrl } from './client.js';
import { type AuthContext, secret } from './define.js';

/** The Microsoft identity platform (public cloud); national clouds have their own. */
export const MICROSOFT_AUTHORITY_URL = 'https://login.microsoftonline.com';

/** `{authorityUrl}/{tenantId}/oauth2/v2.0/token`. */
export function microsoftTokenUrl(authorityUrl: string, tenantId: string): string {
  return resolveUrl(authorityUrl, `${encodeURIComponent(tenantId)}/oauth2/v2.0/token`);
}

/** An app registration's certificate, for a `client_assertion` instead of a secret. */
export interface MicrosoftCertificate {
  /** PKCS#8 PEM private key of the certificate uploaded to the app registration. */
  privateKey: string;
  /** Its SHA-1 thumbprint, hex, as the Azure portal shows it (sent as the `x5t` header). */
  thumbprint: string;
}

/**
 * The credential fields of an app registration's client authentication, for a connector's
 * schema: a `clientSecret`, or a certificate (`certificatePrivateKey` + `certificateThumbprint`).
 * Check them with {@link checkMicrosoftClient}.
 */
export const microsoftClientFields = {
  /** A client secret of the app registration; or sign in with a certificate (the two fields below). */
  clientSecret: secret(z.string().min(1)).optional(),
  /** PKCS#8 PEM private key of a certificate uploaded to the app registration. */
  certificatePrivateKey: secret(
    z.string().includes('PRIVATE KEY', { message: 'a PKCS#8 PEM private key' }),
  ).optional(),
  /** That certificate's SHA-1 thumbprint (hex, as the Azure portal shows it). */
  certificateThumbprint: z
    .string()
    .regex(/^[0-9A-Fa-f:\s]{40,59}$/, 'a SHA-1 thumbprint: 40 hex digits')
    .optional(),
};

type MicrosoftClient = {
  clientSecret?: string | undefined;
  certificatePrivateKey?: string | undefined;
  certificateThumbprint?: string | undefined;
};

/** A `superRefine` check: a secret, or both certificate fields. */
export function checkMicrosoftClient(c: MicrosoftClient, ctx: z.RefinementCtx): void {
  const certificate = c.certificatePrivateKey !== undefined || c.certificateThumbprint !== undefined;
  if (!certificate && c.clientSecret === undefined) {
    ctx.addIssue({ code: 'custom', path: ['clientSecret'], message: 'a client secret or a certificate' });
  }
  for (const field of ['certificatePrivateKey', 'certificateThumbprint'] as const) {
    if (certificate && c[field] === undefined) {
      ctx.addIssue({ code: 'custom', path: [field], message: 'a certificate needs its key and thumbprint' });
    }
  }
}

/** The certificate of checked credentials, if they carry one. */
export function certificateOf(c: MicrosoftClient): MicrosoftCertificate | undefined {
  return c.certificatePrivateKey && c.certificateThumbprint
    ? { privateKey: c.certificatePrivateKey, thumbprint: c.certificateThumbprint }
    : undefined;
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
  /** A client secret; or pass `certificate`. */
  clientSecret?: string | undefined;
  /** Sign in with a certificate assertion instead of the secret. */
  certificate?: MicrosoftCertificate | undefined;
  /** Grant and scope, e.g. `{ grant_type: 'client_credentials', scope: '…/.default' }`; a function is called per token request. */
  params: TokenParams | (() => TokenParams | Promise<TokenParams>);
}

/**
 * An OAuth2 strategy against the tenant's v2.0 token endpoint: the client id with its secret in
 * the form, or — with `certificate` — a fresh RS256 `client_assertion` per token request
 * (header `x5t` = the thumbprint; `iss` = `sub` = client id, `aud` = the token URL, `jti`,
 * `nbf`, 10 minutes).
 */
export function createMicrosoftIdentityAuth(options: MicrosoftIdentityAuthOptions): OAuth2Auth {
  const { integration, authorityUrl, tenantId, clientId, clientSecret, certificate, params, http, now } =
    options;
  const tokenUrl = microsoftTokenUrl(authorityUrl, tenantId);
  const clock = now ?? Date.now;
  const signed = async (): Promise<TokenParams> => {
    const base = typeof params === 'function' ? await params() : params;
    if (!certificate) return base;
    const seconds = Math.floor(clock() / 1000);
    return {
      ...base,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: await createJwtAssertion({
        privateKey: certificate.privateKey,
        issuer: clientId,
        subject: clientId,
        audience: tokenUrl,
        header: {
          x5t: Buffer.from(certificate.thumbprint.replace(/[:\s]/g, ''), 'hex').toString('base64url'),
        },
        claims: { jti: randomUUID(), nbf: seconds },
        ttlSeconds: 600,
        now: clock,
      }),
    };
  };
  return createOAuth2Auth({
    integration,
    tokenUrl,
    clientId,
    ...(certificate || clientSecret === undefined ? {} : { clientSecret }),
    params: signed,
    http,
    now,
  });
}

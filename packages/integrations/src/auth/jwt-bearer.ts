/**
 * JWT-bearer assertions (RFC 7523) for the connectors that authenticate with a signed JWT
 * instead of a secret: Salesforce (`aud` = `https://login.salesforce.com`), DocuSign (`aud` =
 * `account-d.docusign.com`, host only, `scope` = `signature impersonation`), Oracle IDCS user
 * assertions. Use it as the `params` function of `createOAuth2Auth()` so every token request
 * carries a freshly minted assertion.
 *
 * @module
 */
import { type CryptoKey, importPKCS8, type JWTPayload, type KeyObject, SignJWT } from 'jose';

/** Options for {@link createJwtAssertion}. */
export interface JwtAssertionOptions {
  /** PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`) or a key already imported. */
  privateKey: string | CryptoKey | KeyObject;
  /** `iss`: the client id / integration key / consumer key. */
  issuer: string;
  /** `sub`: the user to act as (username or user GUID). */
  subject: string;
  /** `aud`: exactly as the vendor expects it (with or without scheme). */
  audience: string;
  /** `scope` claim (DocuSign). */
  scope?: string;
  /** Lifetime in seconds (Salesforce allows ≤ 180, DocuSign ≤ 3600). @default 180 */
  ttlSeconds?: number;
  /** Signing algorithm. @default 'RS256' */
  algorithm?: string;
  /** `kid` header, when the vendor keeps several keys. */
  keyId?: string;
  /** More protected-header parameters (Microsoft's `x5t` certificate thumbprint). */
  header?: Record<string, string>;
  /** Extra claims. */
  claims?: JWTPayload;
  /** Clock (epoch ms). @default Date.now */
  now?: () => number;
}

/**
 * Signs one JWT-bearer assertion.
 *
 * @example
 * ```ts
 * const auth = createOAuth2Auth({
 *   integration: 'salesforce',
 *   tokenUrl: `${loginUrl}/services/oauth2/token`,
 *   http,
 *   params: async () => ({
 *     grant_type: JWT_BEARER_GRANT,
 *     assertion: await createJwtAssertion({ privateKey, issuer: consumerKey, subject: username, audience: loginUrl }),
 *   }),
 * });
 * ```
 */
export async function createJwtAssertion(options: JwtAssertionOptions): Promise<string> {
  const algorithm = options.algorithm ?? 'RS256';
  const key =
    typeof options.privateKey === 'string'
      ? await importPKCS8(options.privateKey, algorithm)
      : options.privateKey;
  const issuedAt = Math.floor((options.now ?? Date.now)() / 1000);
  const jwt = new SignJWT({ ...options.claims, ...(options.scope ? { scope: options.scope } : {}) })
    .setProtectedHeader({
      ...options.header,
      alg: algorithm,
      typ: 'JWT',
      ...(options.keyId ? { kid: options.keyId } : {}),
    })
    .setIssuer(options.issuer)
    .setSubject(options.subject)
    .setAudience(options.audience)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + (options.ttlSeconds ?? 180));
  return jwt.sign(key);
}

/** The `grant_type` of a JWT-bearer token request. */
export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/**
 * Access tokens: short-lived JWTs signed with `jose`.
 *
 * Everything a verifier could be talked out of is pinned: the algorithm list holds exactly
 * the configured algorithm (so `none` and HS/RS confusion fail), `iss`, `aud`, the `typ`
 * header (`at+jwt`), the `kid`, and a maximum age. `jku`/`x5u`/`jwk` headers are never used:
 * the key comes only from configuration.
 *
 * @module
 */
import { createSecretKey, type KeyObject } from 'node:crypto';
import type { Role } from '@fileforge/core';
import { ErrorCode, FileForgeError } from '@fileforge/core';
import { type CryptoKey, importPKCS8, importSPKI, type JWTPayload, jwtVerify, SignJWT } from 'jose';

/** Options for {@link createAccessTokens}. */
export interface AccessTokenOptions {
  /** `HS256` (default, with `secret`) or an asymmetric algorithm with `privateKeyPem`/`publicKeyPem`. */
  algorithm?: 'HS256' | 'HS384' | 'HS512' | 'RS256' | 'PS256' | 'ES256' | 'EdDSA';
  /** HMAC secret (JWT_SECRET_KEY); at least 32 bytes. */
  secret?: string;
  /** PKCS#8 PEM private key for asymmetric signing. */
  privateKeyPem?: string;
  /** SPKI PEM public key for asymmetric verification. */
  publicKeyPem?: string;
  /** Key id put in and required from the `kid` header. @default 'fileforge-1' */
  keyId?: string;
  /** @default 'fileforge' */
  issuer?: string;
  /** @default 'fileforge-api' */
  audience?: string;
  /** Lifetime in seconds. @default 900 (15 minutes) */
  ttlSeconds?: number;
  /** Clock in milliseconds. @default Date.now */
  now?: () => number;
}

/** Claims FileForge puts in an access token. */
export interface AccessClaims {
  sub: string;
  tenant: string;
  role: Role;
  /** The user's token version when the token was minted (claim `ver`); a newer version revokes it. */
  ver: number;
  /**
   * The login the token belongs to (claim `sid`: its refresh-token family); ending the login
   * (logout, reuse of a spent refresh token) revokes it. Tokens minted before the claim existed
   * have none and are checked by `ver` alone until they expire.
   */
  sid?: string;
}

/** Signs and verifies access tokens. */
export interface AccessTokens {
  sign(claims: AccessClaims): Promise<{ token: string; expiresIn: number }>;
  /** Verifies a token; throws `UNAUTHENTICATED` for anything wrong with it. */
  verify(token: string): Promise<AccessClaims>;
}

const TYP = 'at+jwt';
/** Longest `sid` accepted (session ids are 26-character ids). */
const MAX_SID_LENGTH = 128;

const unauthenticated = (message: string, cause?: unknown) =>
  new FileForgeError(ErrorCode.UNAUTHENTICATED, message, { cause, details: { reason: 'invalid_token' } });

/** Creates the access-token service; bad key material fails here, not on first use. */
export async function createAccessTokens(options: AccessTokenOptions): Promise<AccessTokens> {
  const alg = options.algorithm ?? 'HS256';
  const kid = options.keyId ?? 'fileforge-1';
  const issuer = options.issuer ?? 'fileforge';
  const audience = options.audience ?? 'fileforge-api';
  const ttl = options.ttlSeconds ?? 900;
  const now = options.now ?? Date.now;
  let signKey: KeyObject | CryptoKey;
  let verifyKey: KeyObject | CryptoKey;
  if (alg.startsWith('HS')) {
    if (!options.secret || Buffer.byteLength(options.secret) < 32) {
      throw new FileForgeError(
        ErrorCode.INVALID_CONFIG,
        '[fileforge:auth] JWT_SECRET_KEY must be at least 32 bytes',
      );
    }
    signKey = verifyKey = createSecretKey(Buffer.from(options.secret));
  } else {
    if (!options.privateKeyPem || !options.publicKeyPem) {
      throw new FileForgeError(
        ErrorCode.INVALID_CONFIG,
        `[fileforge:auth] ${alg} needs JWT_PRIVATE_KEY and JWT_PUBLIC_KEY (PEM)`,
      );
    }
    signKey = await importPKCS8(options.privateKeyPem, alg);
    verifyKey = await importSPKI(options.publicKeyPem, alg);
  }

  return {
    async sign(claims) {
      const iat = Math.floor(now() / 1000);
      const token = await new SignJWT({
        tenant: claims.tenant,
        role: claims.role,
        ver: claims.ver,
        ...(claims.sid === undefined ? {} : { sid: claims.sid }),
      })
        .setProtectedHeader({ alg, typ: TYP, kid })
        .setSubject(claims.sub)
        .setIssuer(issuer)
        .setAudience(audience)
        .setIssuedAt(iat)
        .setExpirationTime(iat + ttl)
        .setJti(crypto.randomUUID())
        .sign(signKey);
      return { token, expiresIn: ttl };
    },

    async verify(token) {
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(
          token,
          (header) => {
            if (header.kid !== kid) throw unauthenticated('Unknown signing key');
            return verifyKey;
          },
          {
            algorithms: [alg],
            issuer,
            audience,
            typ: TYP,
            maxTokenAge: ttl,
            // jose checks `exp` only when present: a token without one must not live forever.
            requiredClaims: ['exp', 'iat'],
            clockTolerance: 5,
            currentDate: new Date(now()),
          },
        ));
      } catch (error) {
        if (FileForgeError.is(error)) throw error;
        throw unauthenticated('Invalid or expired access token', error);
      }
      const { sub, tenant, role, ver, sid } = payload as JWTPayload & {
        tenant?: unknown;
        role?: unknown;
        ver?: unknown;
        sid?: unknown;
      };
      if (
        typeof sub !== 'string' ||
        typeof tenant !== 'string' ||
        !['admin', 'editor', 'viewer'].includes(String(role)) ||
        typeof ver !== 'number' ||
        !Number.isSafeInteger(ver) ||
        ver < 0 ||
        (sid !== undefined && (typeof sid !== 'string' || sid.length === 0 || sid.length > MAX_SID_LENGTH))
      ) {
        throw unauthenticated('Access token is missing claims');
      }
      return { sub, tenant, role: role as Role, ver, ...(sid === undefined ? {} : { sid }) };
    },
  };
}

/**
 * RSA key pairs and RS256 assertions for the fakes whose OAuth flows take a signed JWT
 * (Salesforce JWT bearer, DocuSign JWT grant, Microsoft identity `client_assertion`). The
 * fake verifies with the public half; tests and connectors sign with the private half.
 *
 * @module
 */
import { generateKeyPairSync } from 'node:crypto';
import { errors, importPKCS8, importSPKI, type JWTPayload, jwtVerify, SignJWT } from 'jose';

/** A PEM key pair (PKCS#8 private key, SPKI public key). */
export interface RsaKeyPair {
  privateKeyPem: string;
  publicKeyPem: string;
}

/** A fresh 2048-bit RSA key pair (synchronous, ~50 ms, so factories can stay synchronous). */
export function createRsaKeyPair(): RsaKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return { privateKeyPem: privateKey, publicKeyPem: publicKey };
}

let shared: RsaKeyPair | undefined;

/**
 * One key pair per process, generated on first use: the fakes' default, so that each fake a
 * test creates does not pay for RSA key generation. Use {@link createRsaKeyPair} for a pair
 * that must differ (a forged signature).
 */
export function sharedTestKeyPair(): RsaKeyPair {
  shared ??= createRsaKeyPair();
  return shared;
}

/** Signs `claims` as an RS256 JWT (header `{"alg":"RS256","typ":"JWT"}`). */
export async function signRs256(claims: JWTPayload, privateKeyPem: string): Promise<string> {
  const key = await importPKCS8(privateKeyPem, 'RS256');
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'JWT' }).sign(key);
}

/** Why an assertion was refused. */
export type AssertionFailure = 'malformed' | 'signature' | 'expired' | 'not-yet-valid';

/**
 * Verifies an RS256 assertion against `publicKeyPem` at time `nowMs` (exp/nbf are checked,
 * no clock tolerance). Claims other than the time window are left to the caller, which
 * answers in its own vendor's words.
 */
export async function verifyRs256(
  assertion: string,
  publicKeyPem: string,
  nowMs: number,
): Promise<{ ok: true; claims: JWTPayload } | { ok: false; reason: AssertionFailure }> {
  try {
    const key = await importSPKI(publicKeyPem, 'RS256');
    const { payload } = await jwtVerify(assertion, key, {
      algorithms: ['RS256'],
      currentDate: new Date(nowMs),
    });
    return { ok: true, claims: payload };
  } catch (error) {
    if (error instanceof errors.JWTExpired) return { ok: false, reason: 'expired' };
    if (error instanceof errors.JWTClaimValidationFailed) return { ok: false, reason: 'not-yet-valid' };
    if (error instanceof errors.JWSSignatureVerificationFailed) return { ok: false, reason: 'signature' };
    return { ok: false, reason: 'malformed' };
  }
}

/** The form fields of an `application/x-www-form-urlencoded` body, or `null` for another content type. */
export function formFields(contentType: string | undefined, body: string): URLSearchParams | null {
  if (!contentType?.toLowerCase().startsWith('application/x-www-form-urlencoded')) return null;
  return new URLSearchParams(body);
}

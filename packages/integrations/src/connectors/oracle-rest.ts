/**
 * Oracle Fusion Cloud REST (ADF REST framework, specs/connectors.md §7): the IDCS token, the
 * headers every call carries and the reading of answers.
 *
 * Tokens come from the identity domain's `POST /oauth2/v1/token` with the client authenticated
 * by HTTP Basic and a form body `grant_type=client_credentials&scope=…`, or the JWT user
 * assertion grant that acts as a Fusion user (cached, single flight, one new token after a 401). Every call sends `REST-Framework-Version: 4`, which makes Fusion
 * answer errors as `{ title, status, "o:errorDetails": [{ detail, "o:errorCode", "o:errorPath" }] }`;
 * older framework versions answer plain text, which is read too.
 *
 * @module
 */
import type { Readable } from 'node:stream';
import type { z } from 'zod';
import { createJwtAssertion, JWT_BEARER_GRANT } from '../auth/jwt-bearer.js';
import { createOAuth2Auth } from '../auth/oauth2.js';
import type { AuthStrategy } from '../auth/types.js';
import { errorOf, jsonOf } from './body.js';
import { readResponse, resolveUrl } from './client.js';
import type { AuthContext, ConnectorClient, ConnectorRequest, ConnectorResponse } from './define.js';
import { httpError, rejected } from './errors.js';
import type { VendorResponse } from './http-port.js';

/** The REST framework version the connector asks for (structured errors, child collections). */
export const ORACLE_FRAMEWORK_VERSION = '4';
/** Media type of an ADF item written with POST/PATCH. */
export const ADF_ITEM_TYPE = 'application/vnd.oracle.adf.resourceitem+json';

const INTEGRATION = 'oracle';

/** What the token request needs from the credentials. */
export interface OracleAuthCredentials {
  identityDomainUrl: string;
  clientId: string;
  clientSecret: string;
  scope: string;
  /** @default 'client_credentials' */
  authMode?: 'client_credentials' | 'jwt_user_assertion';
  /** The Fusion user the JWT user assertion names (`sub`). */
  username?: string | undefined;
  /** PKCS#8 PEM key whose certificate the confidential application trusts. */
  privateKey?: string | undefined;
  /** The certificate's alias in the identity domain (the assertion's `kid`). */
  certificateAlias?: string | undefined;
}

/** The `aud` of an identity-domain user assertion [doc: Oracle "Client/User JWT Assertion"]. */
export const IDCS_ASSERTION_AUDIENCE = 'https://identity.oraclecloud.com/';

/** `{identityDomainUrl}/oauth2/v1/token`, unless the URL given is the token endpoint already. */
export function oracleTokenUrl(identityDomainUrl: string): string {
  return /\/oauth2\/v1\/token\/?$/.test(identityDomainUrl)
    ? identityDomainUrl
    : resolveUrl(identityDomainUrl, 'oauth2/v1/token');
}

/**
 * A token from the identity domain, the client authenticated with HTTP Basic: client
 * credentials (the client's own identity), or a JWT user assertion (RS256, `kid` = the
 * certificate alias, `iss` = the client id, `sub` = the Fusion user, `aud` =
 * `https://identity.oraclecloud.com/`, minted afresh for each token request), so Fusion acts
 * as — and authorizes with the roles of — that user.
 */
export function createOracleAuth(c: OracleAuthCredentials, { http, now }: AuthContext): AuthStrategy {
  const assertion = async () =>
    createJwtAssertion({
      privateKey: c.privateKey ?? '',
      issuer: c.clientId,
      subject: c.username ?? '',
      audience: IDCS_ASSERTION_AUDIENCE,
      ...(c.certificateAlias ? { keyId: c.certificateAlias } : {}),
      ttlSeconds: 300,
      now,
    });
  return createOAuth2Auth({
    integration: INTEGRATION,
    tokenUrl: oracleTokenUrl(c.identityDomainUrl),
    clientId: c.clientId,
    clientSecret: c.clientSecret,
    clientAuthentication: 'basic',
    contentType: 'application/x-www-form-urlencoded;charset=UTF-8',
    params:
      c.authMode === 'jwt_user_assertion'
        ? async () => ({ grant_type: JWT_BEARER_GRANT, assertion: await assertion(), scope: c.scope })
        : { grant_type: 'client_credentials', scope: c.scope },
    http,
    now,
  });
}

/**
 * One request to Fusion with `REST-Framework-Version: 4` and, for a JSON body, the ADF item
 * type; its answer checked against `response`.
 */
export function fusionRequest<S extends z.ZodType>(
  client: ConnectorClient,
  request: ConnectorRequest & { response: S },
): Promise<ConnectorResponse<z.output<S>>> {
  return client.request({
    ...request,
    headers: {
      'rest-framework-version': ORACLE_FRAMEWORK_VERSION,
      ...(request.json === undefined ? {} : { 'content-type': ADF_ITEM_TYPE }),
      ...request.headers,
    },
  });
}

const HINTS: Record<number, string> = {
  401: 'the access token was refused; check the scope and that the client is assigned to the Fusion application',
  403: 'the user behind the client lacks the Fusion role for this resource (e.g. Supplier Administrator, Accounts Payable Specialist)',
  404: 'no such record, or a wrong resource path or apiVersion',
};

/**
 * Reads a Fusion answer: a 2xx gives its JSON; 408/429/5xx are upstream failures (retried after
 * `Retry-After`); any other status is `INTEGRATION_REJECTED` with every `o:errorDetails` entry
 * (or the plain-text message of older framework versions).
 */
export function interpretOracle(response: VendorResponse, integration: string): unknown {
  if (response.status >= 200 && response.status <= 299) return readResponse(response, integration);
  const json = jsonOf(response) as Record<string, unknown> | undefined;
  if (response.status === 408 || response.status === 429 || response.status >= 500) {
    throw httpError(integration, response, errorOf(json));
  }
  const raw = Array.isArray(json?.['o:errorDetails']) ? (json['o:errorDetails'] as unknown[]) : [];
  const details = raw
    .filter((d): d is Record<string, unknown> => typeof d === 'object' && d !== null)
    .map((d) => ({
      detail: String(d.detail ?? ''),
      ...(d['o:errorCode'] ? { code: String(d['o:errorCode']) } : {}),
      ...(d['o:errorPath'] ? { path: String(d['o:errorPath']) } : {}),
    }));
  const text = json === undefined ? response.body.toString('utf8').trim().slice(0, 500) : '';
  const message =
    details.map((d) => d.detail).join('; ') ||
    text ||
    (typeof json?.title === 'string' ? json.title : '') ||
    HINTS[response.status] ||
    `HTTP ${response.status}`;
  throw rejected(`Oracle refused the request (${response.status}): ${message}`, {
    integration,
    status: response.status,
    ...(details[0]?.code ? { vendorCode: details[0].code } : {}),
    ...(details.length > 0 ? { errorDetails: details } : {}),
    ...(HINTS[response.status] && message !== HINTS[response.status] ? { hint: HINTS[response.status] } : {}),
  });
}

/** The `self` link of an ADF item (the only safe source of a `*UniqID`). */
export function selfLink(item: Record<string, unknown>): string | undefined {
  const links = Array.isArray(item.links) ? (item.links as Array<{ rel?: string; href?: string }>) : [];
  return links.find((l) => l.rel === 'self')?.href;
}

/** Reads a stream into memory, refusing more than `limit` bytes. */
export async function readCapped(stream: Readable, limit: number, what: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      stream.destroy();
      throw rejected(`${what} is larger than ${limit} bytes`, { integration: INTEGRATION });
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * A faithful fake of the Microsoft identity platform token endpoint (v2.0), mountable on any
 * {@link FakeService} so that every Microsoft fake (Dataverse, Graph/Teams) shares one
 * implementation: `createMicrosoftIdentityFake(service)` adds
 * `POST /{tenant}/oauth2/v2.0/token` and `GET /{tenant}/v2.0/.well-known/openid-configuration`
 * to `service`, and issues tokens from `service.tokens` (so `service.tokens.expireAll()`
 * expires them).
 *
 * What it checks (`specs/connectors.md` §2 Auth, §5 Auth): a known tenant (AADSTS90002); a
 * form-encoded body (AADSTS900144); the client id (AADSTS700016); the client secret
 * (AADSTS7000215, HTTP 401) or an RS256 `client_assertion` signed with the app's certificate,
 * named by its `x5t` thumbprint header, with `iss` = `sub` = client id, `aud` = the token URL,
 * `jti` and `nbf` (AADSTS700027/700024/50027); for client
 * credentials, a single `<resource>/.default` scope (AADSTS1002012) naming a known resource
 * (AADSTS500011); for `refresh_token`, a refresh token it issued (AADSTS70000). Errors are
 * the platform's `{error, error_description, error_codes, timestamp, trace_id,
 * correlation_id, error_uri}`.
 *
 * @module
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { decodeProtectedHeader } from 'jose';
import type { FakeService } from './fake-service.js';
import { formFields, sharedTestKeyPair, verifyRs256 } from './signing-keys.js';

/** Options of {@link createMicrosoftIdentityFake}. */
export interface MicrosoftIdentityFakeOptions {
  /** Tenant id in the token URL. @default a fixed GUID */
  tenantId?: string;
  /** Application (client) id. @default a fixed GUID */
  clientId?: string;
  /** Client secret. @default 'fake~client~secret' */
  clientSecret?: string;
  /** PEM public key of the app's certificate (`client_assertion`). @default a generated pair, private half exported */
  certificatePublicKeyPem?: string;
  /**
   * SHA-1 thumbprint (hex, as the Azure portal shows it) of that certificate: an assertion must
   * name it in its `x5t` header (base64url of the bytes). @default a fixed value
   */
  certificateThumbprint?: string;
  /**
   * Resource URIs a token may be issued for (scope `<resource>/.default`). A function, read per
   * request, so it can name the fake's own URL, known only after `start()`.
   * @default () => [service.url]
   */
  resources?: () => string[];
  /** Access-token lifetime in seconds. @default 3599 */
  tokenTtlSec?: number;
  /** Clock for assertion checks. @default Date.now */
  clock?: () => number;
}

/** What a live access token was issued for. */
export interface TokenGrant {
  kind: 'app' | 'delegated';
  clientId: string;
  /** The resource URI (audience), e.g. the Dataverse org URL. */
  resource: string;
  /** Granted scopes (`.default` for app-only tokens). */
  scopes: string[];
  /** The signed-in user of a delegated token. */
  user?: string;
}

/** The mounted identity endpoint. */
export interface MicrosoftIdentityFake {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** Private key for `client_assertion` (absent when `certificatePublicKeyPem` was given). */
  certificatePrivateKeyPem: string | undefined;
  certificatePublicKeyPem: string;
  /** The certificate's SHA-1 thumbprint (hex). */
  certificateThumbprint: string;
  /** `${service.url}/${tenantId}/oauth2/v2.0/token` (after `start()`). */
  readonly tokenUrl: string;
  /** The grant behind a live token, or `null` when it is unknown or expired. */
  grantOf(token: string | undefined): TokenGrant | null;
  /** Issues an access token without the HTTP round trip. */
  issueToken(grant?: Partial<TokenGrant>): string;
  /** A refresh token the `refresh_token` grant accepts (the result of a past authorization-code sign-in). */
  issueRefreshToken(user?: string): string;
}

/** The identity platform's error body. */
export function aadError(status: number, error: string, code: number, description: string): Response {
  const timestamp = new Date()
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
  const traceId = randomUUID();
  const correlationId = randomUUID();
  return Response.json(
    {
      error,
      error_description: `AADSTS${code}: ${description} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
      error_codes: [code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `https://login.microsoftonline.com/error?code=${code}`,
    },
    { status },
  );
}

/**
 * Mounts the Microsoft identity platform token endpoint on `service`.
 *
 * @example
 * const service = new FakeService();
 * const identity = createMicrosoftIdentityFake(service, { resources: () => [service.url] });
 * await service.start();
 * // POST identity.tokenUrl with client_id, client_secret, grant_type=client_credentials, scope=`${service.url}/.default`
 */
export function createMicrosoftIdentityFake(
  service: FakeService,
  options: MicrosoftIdentityFakeOptions = {},
): MicrosoftIdentityFake {
  const tenantId = options.tenantId ?? '9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a';
  const clientId = options.clientId ?? '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
  const clientSecret = options.clientSecret ?? 'fake~client~secret';
  const keys = options.certificatePublicKeyPem ? undefined : sharedTestKeyPair();
  const certificatePublicKeyPem = options.certificatePublicKeyPem ?? keys!.publicKeyPem;
  const certificateThumbprint = (
    options.certificateThumbprint ?? '5D1F0C3B9A7E6D4C2B1A0F9E8D7C6B5A4F3E2D1C'
  ).toUpperCase();
  const x5t = Buffer.from(certificateThumbprint, 'hex').toString('base64url');
  const resources = options.resources ?? (() => [service.url]);
  const ttl = options.tokenTtlSec ?? 3599;
  const clock = options.clock ?? Date.now;
  const grants = new Map<string, TokenGrant>();
  const refreshTokens = new Map<string, string>();
  const tokenUrl = () => `${service.url}/${tenantId}/oauth2/v2.0/token`;

  function issueToken(grant: Partial<TokenGrant> = {}): string {
    const full: TokenGrant = {
      kind: 'app',
      clientId,
      resource: resources()[0] ?? service.url,
      scopes: ['.default'],
      ...grant,
    };
    const token = service.tokens.issue(full.kind === 'app' ? 'app' : 'user', ttl);
    grants.set(token, full);
    return token;
  }

  async function clientAuthError(form: URLSearchParams): Promise<Response | undefined> {
    const assertionType = form.get('client_assertion_type');
    if (!assertionType) {
      if (form.get('client_secret') === clientSecret) return undefined;
      return aadError(
        401,
        'invalid_client',
        7000215,
        "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '" +
          `${clientId}'.`,
      );
    }
    const assertion = form.get('client_assertion') ?? '';
    let header: { x5t?: string; 'x5t#S256'?: string } = {};
    try {
      header = decodeProtectedHeader(assertion);
    } catch {
      return aadError(401, 'invalid_client', 50027, 'JWT token is invalid or malformed.');
    }
    if (header.x5t !== x5t) {
      return aadError(
        401,
        'invalid_client',
        700027,
        `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${header.x5t ? Buffer.from(header.x5t, 'base64url').toString('hex').toUpperCase() : ''}']`,
      );
    }
    const verified = await verifyRs256(assertion, certificatePublicKeyPem, clock());
    if (!verified.ok && verified.reason !== 'signature' && verified.reason !== 'malformed') {
      return aadError(401, 'invalid_client', 700024, 'Client assertion is not within its valid time range.');
    }
    const claims = verified.ok ? verified.claims : undefined;
    if (
      assertionType !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer' ||
      !claims ||
      claims.iss !== clientId ||
      claims.sub !== clientId ||
      claims.aud !== tokenUrl() ||
      typeof claims.jti !== 'string' ||
      claims.nbf === undefined
    ) {
      return aadError(401, 'invalid_client', 700027, 'Client assertion failed signature validation.');
    }
    return undefined;
  }

  service.app.get('/:tenant/v2.0/.well-known/openid-configuration', (c) => {
    const base = `${service.url}/${c.req.param('tenant')}`;
    return c.json({
      token_endpoint: `${base}/oauth2/v2.0/token`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      issuer: `${base}/v2.0`,
      jwks_uri: `${base}/discovery/v2.0/keys`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    });
  });

  service.app.post('/:tenant/oauth2/v2.0/token', async (c) => {
    if (c.req.param('tenant') !== tenantId) {
      return aadError(400, 'invalid_request', 90002, `Tenant '${c.req.param('tenant')}' not found.`);
    }
    const form = formFields(c.req.header('content-type'), await c.req.text());
    if (!form?.get('grant_type')) {
      return aadError(
        400,
        'invalid_request',
        900144,
        "The request body must contain the following parameter: 'grant_type'.",
      );
    }
    if (form.get('client_id') !== clientId) {
      return aadError(
        400,
        'unauthorized_client',
        700016,
        `Application with identifier '${form.get('client_id') ?? ''}' was not found in the directory '${tenantId}'.`,
      );
    }
    const grant = form.get('grant_type');
    if (grant !== 'client_credentials' && grant !== 'refresh_token') {
      return aadError(
        400,
        'unsupported_grant_type',
        70003,
        `The app requested an unsupported grant type '${grant}'.`,
      );
    }
    const denied = await clientAuthError(form);
    if (denied) return denied;
    const scope = form.get('scope') ?? '';
    if (grant === 'client_credentials') {
      if (!/^\S+\/\.default$/.test(scope)) {
        return aadError(
          400,
          'invalid_scope',
          1002012,
          `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
        );
      }
      const resource = scope.slice(0, -'/.default'.length);
      if (!resources().includes(resource)) {
        return aadError(
          400,
          'invalid_resource',
          500011,
          `The resource principal named ${resource} was not found in the tenant named ${tenantId}.`,
        );
      }
      const accessToken = issueToken({ kind: 'app', resource, scopes: ['.default'] });
      return c.json({
        token_type: 'Bearer',
        expires_in: ttl,
        ext_expires_in: ttl,
        access_token: accessToken,
      });
    }
    const user = refreshTokens.get(form.get('refresh_token') ?? '');
    if (!user) return aadError(400, 'invalid_grant', 70000, 'Provided grant is invalid or malformed.');
    const scopes = scope
      .split(/\s+/)
      .filter((s) => s && s !== 'offline_access' && s !== 'openid' && s !== 'profile');
    const resource = /^(.*)\/[^/]+$/.exec(scopes[0] ?? '')?.[1] ?? resources()[0] ?? service.url;
    const accessToken = issueToken({ kind: 'delegated', resource, scopes, user });
    return c.json({
      token_type: 'Bearer',
      scope: scopes.join(' '),
      expires_in: ttl,
      ext_expires_in: ttl,
      access_token: accessToken,
      refresh_token: issueRefreshToken(user),
    });
  });

  function issueRefreshToken(user = 'ada@contoso.example'): string {
    const token = `1.AR${randomBytes(24).toString('base64url')}`;
    refreshTokens.set(token, user);
    return token;
  }

  return {
    tenantId,
    clientId,
    clientSecret,
    certificatePrivateKeyPem: keys?.privateKeyPem,
    certificatePublicKeyPem,
    certificateThumbprint,
    get tokenUrl() {
      return tokenUrl();
    },
    grantOf(token) {
      if (!token || !service.tokens.check(token)) return null;
      return grants.get(token) ?? null;
    },
    issueToken,
    issueRefreshToken,
  };
}

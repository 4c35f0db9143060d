/**
 * How a connector is declared: a {@link ConnectorDefinition} says who the vendor is, what
 * credentials it takes (a zod schema, secret fields marked with {@link secret}), how requests
 * are signed, how its answers are read, and which actions it offers (each with a zod input
 * schema). `createConnector()` turns one into a live connector; the registry lists them and
 * makes each action a workflow step kind `connector.<slug>.<action>`.
 *
 * @module
 */
import type { Readable } from 'node:stream';
import { ErrorCode, FileForgeError } from '@fileforge/core';
import { z } from 'zod';
import type { AuthSession, AuthStrategy } from '../auth/types.js';
import type { HttpMethod, HttpPort, VendorResponse } from './http-port.js';
import type { FileSource, WeightedEndpoint } from './types.js';

/** Marks credential fields whose values are secrets (stored encrypted, never echoed, redacted). */
export const secretFields = z.registry<{ secret: true }>();

/**
 * Marks a credentials field as secret.
 *
 * @example
 * ```ts
 * const credentials = z.object({ botToken: secret(z.string().startsWith('xoxb-')) });
 * ```
 */
export function secret<S extends z.ZodType>(schema: S): S {
  secretFields.add(schema, { secret: true });
  return schema;
}

/** The names of the secret fields of a credentials schema (optional/default wrappers seen through). */
export function secretFieldNames(schema: z.ZodObject): string[] {
  const names: string[] = [];
  for (const [name, field] of Object.entries(schema.shape)) {
    let current: z.ZodType = field as z.ZodType;
    for (let depth = 0; depth < 4; depth++) {
      if (secretFields.has(current)) {
        names.push(name);
        break;
      }
      const inner = (current as { unwrap?: () => z.ZodType }).unwrap;
      if (typeof inner !== 'function') break;
      current = inner.call(current);
    }
  }
  return names;
}

/** One request an action makes (see {@link ConnectorClient.request}). */
export interface ConnectorRequest {
  /** @default 'POST' with a body, else 'GET' */
  method?: HttpMethod;
  /** A path under the attempt's endpoint (`chat.postMessage`, `/sobjects/Lead/`) or an absolute URL the vendor gave. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  /** Sent as JSON (`application/json; charset=utf-8`). */
  json?: unknown;
  /** Sent form-encoded; objects and arrays become JSON strings (as Slack's SDK does). */
  form?: Record<string, unknown>;
  /** Sent as is (bytes, a stream); set `content-type` in `headers`. */
  body?: string | Uint8Array | Readable;
  headers?: Record<string, string>;
  /** Sign with the connector's auth (re-auth once on 401). @default true */
  auth?: boolean;
  /**
   * Whether sending this request twice does no more than sending it once: a read (even over
   * POST, as Slack's `auth.test`), an update to given values, an upsert by an external key, an
   * upload slot nobody sees until it is completed. A request that is not (a create) is never
   * repeated once it may have reached the vendor: a failure after it — a timeout, a reset, a
   * 500/502/504 — ends the call in doubt (`details.inDoubt: true`) instead of being retried.
   * @default true for GET, HEAD, OPTIONS, PUT and DELETE; false for POST and PATCH
   */
  idempotent?: boolean;
  /** Return any status without the connector's reading of it. @default false */
  raw?: boolean;
  /**
   * The shape the data of a successful answer must have, which also types `data`. It is
   * checked, not applied: `data` stays what the vendor sent (fields the schema does not name
   * included), so describe rather than transform. An answer of another shape (an HTML page, a
   * proxy's `{}`, a renamed field) fails the request with `UPSTREAM_ERROR` (`details.reason:
   * 'unexpected_response'`, not retried, counted by the circuit) instead of surfacing later as
   * a `TypeError` or an `undefined` id. Not applied to `raw` requests.
   */
  response?: z.ZodType;
}

/** What a request resolves with. */
export interface ConnectorResponse<T = unknown> {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  /** What the connector's `interpret` made of the answer (parsed JSON for most vendors). */
  data: T;
}

/** What an action uses to talk to the vendor during one attempt. */
export interface ConnectorClient<C = unknown> {
  /** The validated credentials. */
  readonly credentials: C;
  /** The base URL the load balancer picked for this attempt. */
  readonly endpoint: string;
  /** Aborts at the attempt's deadline or on the caller's abort. */
  readonly signal: AbortSignal;
  /**
   * Sends one request: signed, re-authenticated once on 401, read by the connector's
   * `interpret`, its data checked against `response` (and typed by it).
   */
  request<S extends z.ZodType>(
    request: ConnectorRequest & { response: S },
  ): Promise<ConnectorResponse<z.output<S>>>;
  /** Sends one request whose data is not checked (`raw`, or an answer nothing reads); `T` is taken on trust. */
  request<T = unknown>(request: ConnectorRequest): Promise<ConnectorResponse<T>>;
  /**
   * The connector's auth strategy (one per connector, made by the definition's `auth`), for an
   * action that signs a request itself (`auth: false`, e.g. a streamed body that the automatic
   * re-auth cannot replay) or reads what the strategy keeps.
   */
  readonly auth: AuthStrategy;
  /**
   * What the sign-in learnt (`auth.session()`, e.g. Salesforce's `instance_url` from the token
   * answer), signing in first when needed; `{}` when the strategy keeps nothing.
   */
  session(): Promise<AuthSession>;
}

/** What an action receives besides its input. */
export interface ActionContext {
  /** The file, for actions declared with `file: true`. */
  file?: FileSource;
}

/** One thing a connector can do (`postMessage`, `uploadFile`, `createLead`). */
export interface ConnectorAction<C = unknown, S extends z.ZodType = z.ZodType> {
  /** One sentence for docs and the step catalogue. */
  readonly description: string;
  /** Validates the input (and the workflow step's `with`). */
  readonly input: S;
  /** Takes a file: workflow steps pass the run's file, the service opens it from the forge. @default false */
  readonly file?: boolean;
  /** Deadline of each attempt. @default the connector's `timeoutMs` */
  readonly timeoutMs?: number;
  /** Does the work for one attempt; a retry calls it again (re-open the file, re-ask for upload URLs). */
  run(client: ConnectorClient<C>, input: z.output<S>, context: ActionContext): Promise<unknown>;
}

/** The context `auth` gets. */
export interface AuthContext {
  http: HttpPort;
  now: () => number;
}

/** A connector, declared. */
export interface ConnectorDefinition<S extends z.ZodObject = z.ZodObject> {
  /** Lower-case id: `slack`, `salesforce`, … */
  readonly slug: string;
  /** Display name: `Slack`, `Microsoft Dynamics 365`, … */
  readonly name: string;
  /** Credentials accepted by `connect()`; mark secret fields with {@link secret}. */
  readonly credentials: S;
  /** The vendor's base URL(s) for these credentials; deployment options may override it. */
  endpoints(credentials: z.output<S>): string | WeightedEndpoint[];
  /** How requests are signed. */
  auth(credentials: z.output<S>, context: AuthContext): AuthStrategy;
  /**
   * Reads an answer: returns the data on success, throws `rejected()`/`upstream()` errors
   * otherwise (see `errors.ts`). @default {@link readResponse}
   */
  interpret?(response: VendorResponse, integration: string): unknown;
  /** Checks the credentials with a cheap call; resolves with what it learnt (team, user, org). */
  testConnection(client: ConnectorClient<z.output<S>>): Promise<unknown>;
  /** The actions, by name. */
  readonly actions: Readonly<Record<string, ConnectorAction<z.output<S>>>>;
}

/** Checks a definition's shape at import time and returns it, typed. */
export function defineConnector<S extends z.ZodObject>(
  definition: ConnectorDefinition<S>,
): ConnectorDefinition<S> {
  if (!/^[a-z][a-z0-9-]{1,30}$/.test(definition.slug)) {
    throw new FileForgeError(
      ErrorCode.INVALID_CONFIG,
      `[fileforge:connectors] Slug "${definition.slug}" must be lower-case letters, digits, dashes`,
    );
  }
  for (const name of Object.keys(definition.actions)) {
    if (!/^[a-zA-Z][a-zA-Z0-9]*$/.test(name)) {
      throw new FileForgeError(
        ErrorCode.INVALID_CONFIG,
        `[fileforge:connectors] Action "${definition.slug}.${name}" must be camelCase`,
      );
    }
  }
  return definition;
}

/**
 * Declares an action with its input type inferred from the schema. `C` is the connector's
 * credentials type, when the action needs them.
 */
export function defineAction<S extends z.ZodType, C = unknown>(
  action: ConnectorAction<C, S>,
): ConnectorAction<C, S> {
  return action;
}

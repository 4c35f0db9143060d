/**
 * `createConnector()`: a declared connector plus credentials and deployment options become a
 * live {@link Connector}. Every call (`send`, `action`, `testConnection`) runs as one HA
 * operation: each attempt gets an endpoint from the load balancer and a client bound to it.
 *
 * @module
 */
import { ErrorCode, FileForgeError } from '@fileforge/core';
import type { z } from 'zod';
import { createHttpClient } from '../http/index.js';
import { createAttemptClient, readResponse } from './client.js';
import type { ConnectorDefinition } from './define.js';
import { createHaRuntime, type HaClock, type HaOptions } from './ha.js';
import type { HttpMethod, HttpPort } from './http-port.js';
import type {
  AttemptContext,
  Connector,
  ConnectorEvent,
  IntegrationResult,
  SendOptions,
  WeightedEndpoint,
} from './types.js';

/** Options of `createConnector()` and of every `createXConnector()`. */
export interface ConnectorOptions<S extends z.ZodObject = z.ZodObject> {
  /** Credentials, validated with the connector's schema (bad ones fail here with `VALIDATION_FAILED`). */
  credentials: z.input<S>;
  /**
   * The HTTP client (SSRF-guarded). Pass one shared client; tests pass one that allows
   * 127.0.0.1. @default createHttpClient() (public addresses only)
   */
  http?: HttpPort;
  /** Where the vendor is, overriding what the credentials imply (a proxy, a fake, several weighted endpoints). */
  endpoints?: string | WeightedEndpoint[];
  /** Retry, circuit, timeout, fallback, cache, endpoint-health and region knobs. */
  ha?: HaOptions;
  /** Injected clock, randomness and sleep (tests). */
  clock?: HaClock;
  /** Circuit changes and final errors. */
  onEvent?: (event: ConnectorEvent) => void;
  /** Largest response body accepted. @default 10485760 */
  maxResponseBytes?: number;
}

/** Parses credentials with a definition's schema, naming the connector and the bad fields (never the values). */
export function parseCredentials<S extends z.ZodObject>(
  definition: ConnectorDefinition<S>,
  input: unknown,
): z.output<S> {
  const parsed = definition.credentials.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  throw new FileForgeError(
    ErrorCode.VALIDATION_FAILED,
    `[fileforge:${definition.slug}] Invalid credentials: ${problems.map((p) => p.path || '(root)').join(', ')}`,
    { details: { integration: definition.slug, problems } },
  );
}

function normaliseEndpoints(value: string | WeightedEndpoint[]): WeightedEndpoint[] {
  return typeof value === 'string' ? [{ url: value }] : value;
}

/**
 * Creates a live connector from its definition.
 *
 * @example
 * ```ts
 * const slack = createConnector(slackConnector, { credentials: { botToken: 'xoxb-…' } });
 * const result = await slack.action('postMessage', { channel: 'C0123456789', text: 'Hi' });
 * ```
 */
export function createConnector<S extends z.ZodObject>(
  definition: ConnectorDefinition<S>,
  options: ConnectorOptions<S>,
): Connector {
  const credentials = parseCredentials(definition, options.credentials);
  const http = options.http ?? createHttpClient();
  const now = options.clock?.now ?? Date.now;
  const auth = definition.auth(credentials, { http, now });
  const interpret = definition.interpret ?? readResponse;
  const ha = createHaRuntime({
    integration: definition.slug,
    endpoints: normaliseEndpoints(options.endpoints ?? definition.endpoints(credentials)),
    ...options.ha,
    ...options.clock,
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
  });
  const clientFor = ({ endpoint, signal, timeoutMs, markUnrepeatable }: AttemptContext) =>
    createAttemptClient({
      integration: definition.slug,
      credentials,
      endpoint,
      signal,
      timeoutMs,
      markUnrepeatable,
      http,
      auth,
      interpret,
      ...(options.maxResponseBytes ? { maxResponseBytes: options.maxResponseBytes } : {}),
    });

  const connector: Connector = {
    name: definition.name,
    slug: definition.slug,
    testConnection: (call = {}) =>
      ha.execute('testConnection', (attempt) => definition.testConnection(clientFor(attempt)), {
        ...(call.signal ? { signal: call.signal } : {}),
      }),
    send<T>(endpoint: string, data?: unknown, method: HttpMethod = 'POST', call: SendOptions = {}) {
      const hasBody = data !== undefined && method !== 'GET' && method !== 'HEAD';
      return ha.execute<T>(
        `${method} ${endpoint}`,
        async (attempt) => {
          const response = await clientFor(attempt).request<T>({
            method,
            path: endpoint,
            ...(call.headers ? { headers: call.headers } : {}),
            ...(call.idempotent === undefined ? {} : { idempotent: call.idempotent }),
            ...(hasBody
              ? call.encoding === 'form'
                ? { form: data as Record<string, unknown> }
                : { json: data }
              : method === 'GET' && data && typeof data === 'object'
                ? { query: data as Record<string, string> }
                : {}),
          });
          return response.data;
        },
        { ...(call.signal ? { signal: call.signal } : {}) },
      );
    },
    async action<T>(name: string, input: unknown, call: Parameters<Connector['action']>[2] = {}) {
      const action = Object.hasOwn(definition.actions, name) ? definition.actions[name] : undefined;
      if (!action) return refusedResult<T>(definition.slug, `Unknown action "${name}"`, ErrorCode.NOT_FOUND);
      const parsed = action.input.safeParse(input);
      if (!parsed.success) {
        const problems = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
        return refusedResult<T>(definition.slug, `Invalid input for ${name}`, ErrorCode.VALIDATION_FAILED, {
          problems,
        });
      }
      if (action.file && !call.file) {
        return refusedResult<T>(definition.slug, `Action ${name} needs a file`, ErrorCode.VALIDATION_FAILED);
      }
      return ha.execute<T>(
        name,
        (attempt) =>
          action.run(clientFor(attempt), parsed.data, call.file ? { file: call.file } : {}) as Promise<T>,
        {
          ...(call.signal ? { signal: call.signal } : {}),
          ...(action.timeoutMs ? { timeoutMs: action.timeoutMs } : {}),
        },
      );
    },
    executeWithHa: (operation, executor, call) => ha.execute(operation, executor, call),
    registerFallback: (operation, handler) => ha.registerFallback(operation, handler),
    getHaStats: () => ha.stats(),
  };
  return connector;
}

function refusedResult<T>(
  integration: string,
  message: string,
  code: ErrorCode,
  details: Record<string, unknown> = {},
): IntegrationResult<T> {
  return {
    success: false,
    error: { code, message: `[fileforge:${integration}] ${message}`, details: { integration, ...details } },
    latencyMs: 0,
    attempt: 0,
  };
}

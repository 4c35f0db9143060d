/**
 * OData V2 `$batch` change sets against SAP Gateway (specs/connectors.md §6: `$batch` needs the
 * CSRF token like any write).
 *
 * How this works: the operations become one change set — a nested `multipart/mixed` of
 * `application/http` requests (paths relative to the service root, JSON bodies, a `Content-ID`
 * each) — inside one `POST {serviceRoot}/$batch`, sent with the service's CSRF token and
 * cookies (`sapWrite`: one refetch on 403 `Required`). Gateway applies a change set all or
 * nothing and answers 202 with a `multipart/mixed` body: the change set's responses in order,
 * or, when one operation failed, that operation's error alone — read here with the connector's
 * usual reading of SAP errors (`INTEGRATION_REJECTED` with SAP's message code), nothing having
 * been changed.
 *
 * @module
 */

import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { ConnectorClient } from './define.js';
import { upstream } from './errors.js';
import type { HttpMethod } from './http-port.js';
import { boundaryOf, httpMessageOf, httpPart, joinParts, splitParts } from './multipart-mixed.js';
import { interpretSap } from './sap-odata.js';
import { type SapService, type SapSessionCredentials, sapWrite } from './sap-session.js';

const INTEGRATION = 'sap';

/** One modifying operation of a change set. */
export interface SapBatchOperation {
  method: Extract<HttpMethod, 'POST' | 'PUT' | 'PATCH' | 'DELETE'> | 'MERGE';
  /** Relative to the service root: `A_Product`, `A_Product('FF-1')`. */
  path: string;
  json?: unknown;
}

/** One operation's answer: its status and its entity (`d` unwrapped). */
export interface SapBatchResult {
  status: number;
  location?: string;
  data: unknown;
}

const malformed = (what: string) =>
  upstream(`Gateway answered the $batch with ${what}`, { integration: INTEGRATION }, { retryable: false });

/** Runs `operations` as one change set on `service`; resolves with their answers, in order. */
export async function sapChangeset(
  client: ConnectorClient<SapSessionCredentials>,
  service: SapService,
  operations: readonly SapBatchOperation[],
): Promise<SapBatchResult[]> {
  const tag = randomBytes(8).toString('hex');
  const batch = `batch_${tag}`;
  const changeset = `changeset_${tag}`;
  const requests = operations.map((op, i) =>
    httpPart(
      `${op.method} ${op.path} HTTP/1.1`,
      {
        Accept: 'application/json',
        'Content-ID': String(i + 1),
        ...(op.json === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      op.json === undefined ? '' : JSON.stringify(op.json),
    ),
  );
  const body = joinParts(batch, [
    `Content-Type: multipart/mixed; boundary=${changeset}\r\n\r\n${joinParts(changeset, requests)}`,
  ]);
  const response = await sapWrite(client, service, {
    path: '$batch',
    body: async () => body,
    headers: { 'content-type': `multipart/mixed; boundary=${batch}`, accept: 'multipart/mixed' },
    // multipart/mixed, read part by part below (a malformed answer is refused there)
    response: z.unknown(),
  });
  const outer = boundaryOf(response.headers['content-type']);
  const [answer] = outer ? (splitParts(response.body, outer) ?? []) : [];
  if (!answer) throw malformed(`no parts (HTTP ${response.status})`);
  const inner = boundaryOf(answer.headers['content-type']);
  // A failed change set comes back as its one error response, not as a nested multipart.
  const parts = inner ? splitParts(answer.body, inner) : [answer];
  if (!parts) throw malformed('a malformed change set');
  const results = parts.map((part) => {
    const message = httpMessageOf(part);
    const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(message.startLine)?.[1] ?? 0);
    const data = interpretSap({ status, headers: message.headers, body: message.body }, INTEGRATION);
    return { status, ...(message.headers.location ? { location: message.headers.location } : {}), data };
  });
  if (results.length !== operations.length) {
    throw malformed(`${results.length} answers to ${operations.length} operations`);
  }
  return results;
}

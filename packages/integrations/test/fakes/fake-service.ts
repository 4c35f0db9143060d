/**
 * The shared machinery of the vendor fakes: a Hono app served on 127.0.0.1 (a free port),
 * a log of every request as the vendor would have received it, injected faults (a status,
 * headers and body answered instead of the real handler, for the next N matching requests —
 * or, with `phase: 'after'`, once the handler has done its work: a late, replaced or lost
 * answer), and a token store with expiry. Each vendor's fake (`salesforce.ts`, `slack.ts`, …)
 * builds its routes on one of these and speaks that vendor's wire contract from
 * `specs/connectors.md`: its auth, paths, headers, bodies, errors and rate limits.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import { type Context, Hono } from 'hono';

/** One request as the fake received it. */
export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: URLSearchParams;
  /** Header names lower-case. */
  headers: Record<string, string>;
  /** The raw body bytes. */
  body: Buffer;
  /** The body parsed as JSON (`undefined` when it is not JSON). */
  json: unknown;
}

/** An answer given instead of the real handler's, or a fault that strikes after it. */
export interface Fault {
  /**
   * The status answered. Without it a `phase: 'after'` fault sends the handler's own answer
   * (late, with `delayMs`). @default 500
   */
  status?: number;
  headers?: Record<string, string>;
  /** A string is sent as is; anything else as JSON. */
  body?: unknown;
  /** Which requests it applies to. @default every request */
  match?: (request: RecordedRequest) => boolean;
  /** How many matching requests get it. @default 1 */
  times?: number;
  /** Wait this long before answering (timeouts). @default 0 */
  delayMs?: number;
  /**
   * `'instead'`: the fault is the answer, the handler never runs (nothing is stored).
   * `'after'`: the handler runs first and what it did stays (a record stored, a message
   * posted), then the answer is delayed, replaced or lost — a vendor that did the work while
   * the caller saw a timeout, a gateway's 5xx or a reset. @default 'instead'
   */
  phase?: 'instead' | 'after';
  /** Cut the connection instead of answering (the client sees a reset). @default false */
  cut?: boolean;
}

/** Access tokens a fake issued, with their expiry (checked on every call). */
export class TokenStore {
  readonly #tokens = new Map<string, { expiresAt: number; subject: string }>();
  /** Tokens issued so far (a re-auth shows up here). */
  issued = 0;

  /** Issues a token valid for `ttlSec` seconds. */
  issue(subject: string, ttlSec = 3600): string {
    const token = `${subject}.${randomBytes(12).toString('hex')}`;
    this.#tokens.set(token, { expiresAt: Date.now() + ttlSec * 1000, subject });
    this.issued += 1;
    return token;
  }

  /** The subject of a live token, or `null`. */
  check(token: string | undefined): string | null {
    if (!token) return null;
    const entry = this.#tokens.get(token);
    if (!entry || entry.expiresAt <= Date.now()) return null;
    return entry.subject;
  }

  /** Expires every token now (the next call must re-authenticate). */
  expireAll(): void {
    for (const entry of this.#tokens.values()) entry.expiresAt = 0;
  }
}

/** The answer a fault gives. */
function answerOf(fault: Fault): Response {
  const payload =
    typeof fault.body === 'string' ? fault.body : fault.body === undefined ? '' : JSON.stringify(fault.body);
  const contentType =
    typeof fault.body === 'string' || fault.body === undefined ? 'text/plain' : 'application/json';
  return new Response(payload || null, {
    status: fault.status ?? 500,
    headers: { 'content-type': contentType, ...fault.headers },
  });
}

/** The `Bearer` token of a request, if any. */
export function bearerOf(c: Context): string | undefined {
  const header = c.req.header('authorization') ?? '';
  return /^Bearer (.+)$/i.exec(header)?.[1];
}

/** How {@link FakeService.start} serves. */
export interface FakeServiceStartOptions {
  /**
   * Serve HTTPS with this key and certificate (PEM) instead of plain HTTP — for clients that
   * only talk to `https://` hosts (the Microsoft Graph SDK attaches tokens only to https URLs).
   * @default undefined (plain HTTP)
   */
  tls?: { key: string | Buffer; cert: string | Buffer };
}

/** A fake vendor service: subclass-free, compose it (`const fake = new FakeService(); fake.app.post(...)`). */
export class FakeService {
  readonly app = new Hono();
  readonly requests: RecordedRequest[] = [];
  readonly tokens = new TokenStore();
  #faults: Fault[] = [];
  #server: ServerType | undefined;
  #url = '';

  constructor() {
    this.app.use(async (c, next) => {
      const body = Buffer.from(await c.req.raw.clone().arrayBuffer());
      const url = new URL(c.req.url);
      const headers: Record<string, string> = {};
      c.req.raw.headers.forEach((value, name) => {
        headers[name] = value;
      });
      let json: unknown;
      try {
        json = body.length > 0 ? JSON.parse(body.toString('utf8')) : undefined;
      } catch {
        json = undefined;
      }
      const request: RecordedRequest = {
        method: c.req.method,
        path: url.pathname,
        query: url.searchParams,
        headers,
        body,
        json,
      };
      this.requests.push(request);
      const fault = this.#takeFault(request);
      if (!fault) return next();
      if (fault.phase === 'after') await next();
      if (fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
      if (fault.cut) {
        (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket.destroy();
        return new Response(null, { status: 500 });
      }
      if (fault.phase === 'after' && fault.status === undefined) return;
      const answer = answerOf(fault);
      if (fault.phase !== 'after') return answer;
      // replaced, not merged with the handler's answer (Hono copies headers onto a new `res`)
      c.res = undefined;
      c.res = answer;
    });
  }

  /** Base URL once started, e.g. `http://127.0.0.1:41234`. */
  get url(): string {
    if (!this.#url) throw new Error('[fileforge:fakes] start() the fake first');
    return this.#url;
  }

  /** Answers the next `fault.times` matching requests with `fault` instead of the handler. */
  inject(fault: Fault): void {
    this.#faults.push({ times: 1, ...fault });
  }

  /** Drops every injected fault not used up yet. */
  clearFaults(): void {
    this.#faults = [];
  }

  /** Requests whose method and path match (path may be a RegExp). */
  requestsTo(method: string, path: string | RegExp): RecordedRequest[] {
    return this.requests.filter(
      (r) => r.method === method && (typeof path === 'string' ? r.path === path : path.test(r.path)),
    );
  }

  /** Serves on 127.0.0.1 at a free port; resolves with the base URL. */
  async start(options: FakeServiceStartOptions = {}): Promise<string> {
    const { tls } = options;
    await new Promise<void>((resolve, reject) => {
      const base = { fetch: this.app.fetch, hostname: '127.0.0.1', port: 0 };
      const server = tls
        ? serve({ ...base, createServer: createHttpsServer, serverOptions: tls }, () => resolve())
        : serve(base, () => resolve());
      server.on('error', reject);
      this.#server = server;
    });
    const { port } = this.#server!.address() as AddressInfo;
    this.#url = `${tls ? 'https' : 'http'}://127.0.0.1:${port}`;
    return this.#url;
  }

  /** Stops serving and drops open connections. */
  async close(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#server = undefined;
    await new Promise<void>((resolve) => {
      if ('closeAllConnections' in server) server.closeAllConnections();
      server.close(() => resolve());
    });
  }

  #takeFault(request: RecordedRequest): Fault | undefined {
    const index = this.#faults.findIndex((f) => !f.match || f.match(request));
    if (index < 0) return undefined;
    const fault = this.#faults[index]!;
    fault.times = (fault.times ?? 1) - 1;
    if (fault.times <= 0) this.#faults.splice(index, 1);
    return fault;
  }
}

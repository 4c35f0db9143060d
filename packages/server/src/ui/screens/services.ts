import type { IntegrationService, WebhookService } from '@fileforge/integrations';
import type { ScreenContext, UiServices } from '../screen.js';

/** The webhook service, or `undefined` on a server created without webhooks. */
export const webhookService = (services: UiServices): WebhookService | undefined =>
  services.integrations?.webhooks?.service;

/** The connectors service, or `undefined` on a server created without connectors. */
export const connectorService = (services: UiServices): IntegrationService | undefined =>
  services.integrations?.connectors?.service;

/** What {@link callApi} answers: the status and the parsed JSON body (null when none). */
export interface ApiAnswer<T> {
  status: number;
  body: T | null;
  /** The error's message in words when the route refused (`error.message`). */
  error?: string;
}

/**
 * A GET of one of the server's own API routes, in process, as the signed-in caller (their
 * session cookie or Authorization header is passed on): the same validation, permission
 * and tenant rules as from outside.
 */
export async function callApi<T>(ctx: ScreenContext, path: string): Promise<ApiAnswer<T>> {
  const headers: Record<string, string> = { accept: 'application/json' };
  for (const name of ['cookie', 'authorization', 'x-api-key']) {
    const value = ctx.c.req.header(name);
    if (value) headers[name] = value;
  }
  const res = await ctx.services.request(path, { headers });
  const body = (await res.json().catch(() => null)) as (T & { error?: { message?: string } }) | null;
  if (res.ok) return { status: res.status, body };
  return {
    status: res.status,
    body: null,
    error: body?.error?.message ?? `The server answered ${res.status}`,
  };
}

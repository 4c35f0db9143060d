/**
 * The `webhooks` forge extension: brings the tables (migration module `webhooks`), the
 * `webhook` step kind, a bus listener that turns every matching event into a message, and
 * the service's lifetime (started after the forge, closed before it).
 *
 * @module
 */
import { ErrorCode, FileForgeError, type ForgeEvents, type ForgeExtension } from '@fileforge/core';
import { WEBHOOK_BUS_EVENTS } from './event-types.js';
import { webhookMigrations } from './migrations.js';
import { resolveWebhookOptions, type WebhookServiceOptions } from './options.js';
import { createSecretBox } from './secret-box.js';
import { createWebhookService, type WebhookService } from './service.js';
import { webhookStep } from './step.js';

const NO_SQL_CATALOG = '[fileforge:webhooks] Webhooks need a SQL catalog (catalog.db()); this forge has none';

/** The extension plus a handle on its service. */
export interface WebhooksExtension extends ForgeExtension {
  /**
   * The running service: available once `createForge()` has resolved (throws
   * `INVALID_CONFIG` before start and `SHUTTING_DOWN` after close).
   */
  readonly service: WebhookService;
  /** Resolves with the service when the forge has started it. */
  readonly ready: Promise<WebhookService>;
}

/**
 * Webhooks for a forge. Pass the result to `createForge({ extensions })`, then use its
 * `service` (the server's webhook routes do the same).
 *
 * Events reach the service through the forge's durable outbox, at least once; each becomes
 * one message id derived from the event id, so a redelivered event adds nothing. An event
 * delivered before start-up has finished waits for the service.
 *
 * @example
 * ```ts
 * const hooks = createWebhooksExtension({ secretKey: process.env.SECRET_KEY! });
 * const forge = await createForge({ dataDir: './data', extensions: [hooks] });
 * const { subscription, secret } = await hooks.service.subscribe({
 *   name: 'crm', url: 'https://crm.example.com/hooks', events: ['file.*'],
 * });
 * ```
 */
export function createWebhooksExtension(options: WebhookServiceOptions): WebhooksExtension {
  // Bad options fail here, not at start-up.
  resolveWebhookOptions(options);
  createSecretBox(options);
  let service: WebhookService | undefined;
  let closed = false;
  let resolveReady!: (service: WebhookService) => void;
  let rejectReady!: (error: unknown) => void;
  const ready = new Promise<WebhookService>((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });
  ready.catch(() => {});

  const current = (): WebhookService => {
    if (service && !closed) return service;
    throw closed
      ? new FileForgeError(ErrorCode.SHUTTING_DOWN, '[fileforge:webhooks] The webhook service is closed')
      : new FileForgeError(
          ErrorCode.INVALID_CONFIG,
          '[fileforge:webhooks] The webhook service starts with the forge: use it after createForge() resolves',
        );
  };

  return {
    name: 'webhooks',
    migrations: webhookMigrations,
    steps: [webhookStep(current)],
    get service() {
      return current();
    },
    ready,
    subscribe(events) {
      for (const type of WEBHOOK_BUS_EVENTS) {
        const listener = async (payload: { eventId: string; tenant: string }) => {
          const svc = service ?? (await ready);
          await svc.receive(type, payload);
        };
        events.on(type, listener as ForgeEvents[typeof type]);
      }
    },
    async start(forge) {
      const db = forge.catalog.db?.();
      if (!db) {
        throw new FileForgeError(ErrorCode.INVALID_CONFIG, NO_SQL_CATALOG);
      }
      const { catalog } = forge;
      service = createWebhookService(options, {
        db,
        // The catalog's own transactions: its compiled statements skip Kysely's executor there.
        transaction: (fn) =>
          catalog.transaction((tx) => {
            const trx = tx.db?.();
            if (!trx) throw new FileForgeError(ErrorCode.INVALID_CONFIG, NO_SQL_CATALOG);
            return fn(trx);
          }),
        logger: forge.options.logger,
        now: forge.options.now,
        publish: (event) => forge.publish('webhook.disabled', event),
      });
      resolveReady(service);
    },
    async close() {
      closed = true;
      rejectReady(new FileForgeError(ErrorCode.SHUTTING_DOWN, '[fileforge:webhooks] The forge is closing'));
      await service?.close();
    },
  };
}

/**
 * Each tenant's enabled endpoints, kept in memory for a short while, so an `emit()` matches
 * its event without reading the catalog. This process's own changes (subscribe, update,
 * remove, rotation, an endpoint disabled by its deliveries) drop the tenant's entry at once.
 * Without a shared cache another process's are seen within `ttlMs` — so for up to `ttlMs` a
 * process could still record messages for a subscription another instance just deleted.
 * With a shared cache (keyv on Redis, REDIS_URL) every change also writes a new *generation*
 * for the tenant there; each entry remembers the generation it was loaded under (read before
 * the catalog, so a change committed meanwhile is never masked) and is used only while the
 * shared generation is unchanged: another instance's change is seen by the next `emit()`, at
 * the price of one Redis read per emit. The endpoints themselves stay in memory (they are the
 * catalog's, and small); a Redis that fails means reading the catalog, never a stale answer.
 * Only the choice of endpoints for a new message comes from here: a delivery reads its
 * endpoint's URL, state and secrets from the catalog.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import type { SharedCache } from '@fileforge/core';
import { matchesEvent } from './patterns.js';
import type { EndpointStore } from './store/endpoints.js';
import type { EndpointRow } from './store/rows.js';

/** An enabled endpoint with its patterns parsed once. */
export interface EnabledEndpoint {
  id: string;
  url: string;
  patterns: string[];
}

/** The cached lookup; see the module comment. */
export interface EndpointCache {
  /** The tenant's enabled endpoints whose patterns match `type`. */
  matching(tenant: string, type: string): Promise<EnabledEndpoint[]>;
  /** Forgets the tenant's endpoints (after a change to one of them), in every instance sharing the cache. */
  invalidate(tenant: string): Promise<void>;
}

interface Entry {
  at: number;
  /** The shared generation the entry was loaded under (`undefined`: none was set, or no shared cache). */
  generation: string | undefined;
  endpoints: Promise<EnabledEndpoint[]>;
}

/** A tenant's generation outlives any entry by far; it expires only so unused tenants do not pile up in Redis. */
const GENERATION_TTL_MS = 86_400_000;
const generationKey = (tenant: string) => `webhooks:endpoints:${tenant}`;
/** Generation read failed: the entry cannot be trusted, nor kept. */
const UNKNOWN = Symbol('unknown');

const toEnabled = (row: EndpointRow): EnabledEndpoint => ({
  id: row.id,
  url: row.url,
  patterns: JSON.parse(row.events) as string[],
});

/**
 * Caches `store.enabled(tenant)` for `ttlMs` by `now` (0: every call reads the catalog). At
 * most `maxTenants` tenants are kept, the least recently read dropped first. With `shared`,
 * entries are checked against the tenant's generation there (see the module comment).
 */
export function createEndpointCache(
  store: Pick<EndpointStore, 'enabled'>,
  now: () => number,
  ttlMs: number,
  maxTenants = 1024,
  shared?: SharedCache,
): EndpointCache {
  const entries = new Map<string, Entry>();
  const load = (tenant: string) => store.enabled(tenant).then((rows) => rows.map(toEnabled));
  const generationOf = async (tenant: string): Promise<string | undefined | typeof UNKNOWN> =>
    shared ? shared.get<string>(generationKey(tenant)).catch(() => UNKNOWN) : undefined;

  async function endpoints(tenant: string): Promise<EnabledEndpoint[]> {
    if (ttlMs <= 0) return load(tenant);
    const generation = await generationOf(tenant);
    if (generation === UNKNOWN) return load(tenant);
    const t = now();
    const entry = entries.get(tenant);
    if (entry && t >= entry.at && t - entry.at < ttlMs && entry.generation === generation) {
      entries.delete(tenant);
      entries.set(tenant, entry);
      return entry.endpoints;
    }
    const fresh: Entry = { at: t, generation, endpoints: load(tenant) };
    // A failed read is not kept: the next call tries again.
    fresh.endpoints.catch(() => {
      if (entries.get(tenant) === fresh) entries.delete(tenant);
    });
    entries.delete(tenant);
    entries.set(tenant, fresh);
    if (entries.size > maxTenants) entries.delete(entries.keys().next().value as string);
    return fresh.endpoints;
  }

  return {
    async matching(tenant, type) {
      return (await endpoints(tenant)).filter((e) => matchesEvent(e.patterns, type));
    },
    async invalidate(tenant) {
      entries.delete(tenant);
      // Failing, other instances keep their entry at most `ttlMs` (as without a shared cache).
      await shared?.set(generationKey(tenant), randomUUID(), GENERATION_TTL_MS).catch(() => {});
    },
  };
}

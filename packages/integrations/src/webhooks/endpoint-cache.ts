/**
 * Each tenant's enabled endpoints, kept in memory for a short while, so an `emit()` matches
 * its event without reading the catalog. This process's own changes (subscribe, update,
 * remove, rotation, an endpoint disabled by its deliveries) drop the tenant's entry at once;
 * another process's are seen within `ttlMs`. Only the choice of endpoints for a new message
 * comes from here: a delivery reads its endpoint's URL, state and secrets from the catalog.
 *
 * @module
 */
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
  /** Forgets the tenant's endpoints (after a change to one of them). */
  invalidate(tenant: string): void;
}

interface Entry {
  at: number;
  endpoints: Promise<EnabledEndpoint[]>;
}

const toEnabled = (row: EndpointRow): EnabledEndpoint => ({
  id: row.id,
  url: row.url,
  patterns: JSON.parse(row.events) as string[],
});

/**
 * Caches `store.enabled(tenant)` for `ttlMs` by `now` (0: every call reads the catalog). At
 * most `maxTenants` tenants are kept, the least recently read dropped first.
 */
export function createEndpointCache(
  store: Pick<EndpointStore, 'enabled'>,
  now: () => number,
  ttlMs: number,
  maxTenants = 1024,
): EndpointCache {
  const entries = new Map<string, Entry>();
  const load = (tenant: string) => store.enabled(tenant).then((rows) => rows.map(toEnabled));

  function endpoints(tenant: string): Promise<EnabledEndpoint[]> {
    if (ttlMs <= 0) return load(tenant);
    const t = now();
    const entry = entries.get(tenant);
    if (entry && t >= entry.at && t - entry.at < ttlMs) {
      entries.delete(tenant);
      entries.set(tenant, entry);
      return entry.endpoints;
    }
    const fresh: Entry = { at: t, endpoints: load(tenant) };
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
    invalidate(tenant) {
      entries.delete(tenant);
    },
  };
}

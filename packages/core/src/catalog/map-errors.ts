import { FileForgeError } from '../errors/index.js';
import type { Catalog } from './catalog.js';

/** Turns an engine's own error into a FileForge one, or returns undefined to pass it through. */
export type CatalogErrorMapper = (error: unknown) => FileForgeError | undefined;

type AnyFunction = (...args: unknown[]) => unknown;

function wrapFunction(fn: AnyFunction, self: unknown, rethrow: (error: unknown) => never): AnyFunction {
  return (...args) => {
    try {
      const result = fn.apply(self, args);
      return result instanceof Promise ? result.catch(rethrow) : result;
    } catch (error) {
      return rethrow(error);
    }
  };
}

/**
 * Wraps a catalog's methods and its stores' methods so the engine's faults (SQLite's
 * `SQLITE_FULL`, PostgreSQL's `53100`) surface as FileForge codes (`INSUFFICIENT_STORAGE`,
 * `CATALOG_UNAVAILABLE`). Each engine knows its own codes; nothing outside the adapter does.
 */
export function mapCatalogErrors(catalog: Catalog, map: CatalogErrorMapper): Catalog {
  const rethrow = (error: unknown): never => {
    throw FileForgeError.is(error) ? error : (map(error) ?? error);
  };
  const wrapped: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(catalog)) {
    if (typeof member === 'function') {
      wrapped[name] = wrapFunction(member as AnyFunction, catalog, rethrow);
    } else if (member && typeof member === 'object' && !Array.isArray(member)) {
      wrapped[name] = Object.fromEntries(
        Object.entries(member).map(([key, value]) => [
          key,
          typeof value === 'function' ? wrapFunction(value as AnyFunction, member, rethrow) : value,
        ]),
      );
    } else {
      wrapped[name] = member;
    }
  }
  return wrapped as unknown as Catalog;
}

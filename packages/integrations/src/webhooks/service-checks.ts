/**
 * The webhook service's input checks and the errors they throw: `NOT_FOUND` for a missing
 * (or another tenant's) subscription, `VALIDATION_FAILED` for a bad field.
 *
 * @module
 */
import { ErrorCode, FileForgeError } from '@fileforge/core';
import type { EndpointStore } from './store/endpoints.js';

export function notFound(id: string): never {
  throw new FileForgeError(ErrorCode.NOT_FOUND, `[fileforge:webhooks] No webhook subscription "${id}"`, {
    details: { id },
  });
}

export function invalid(field: string, message: string): never {
  throw new FileForgeError(ErrorCode.VALIDATION_FAILED, `[fileforge:webhooks] ${message}`, {
    details: { field },
  });
}

export function checkName(name: unknown): string {
  if (typeof name !== 'string' || name.trim().length === 0 || name.length > 200) {
    invalid('name', 'A subscription needs a name of 1-200 characters');
  }
  return name.trim();
}

export function pageSize(limit: number | undefined): number {
  const n = limit ?? 50;
  if (!Number.isInteger(n) || n < 1 || n > 100) invalid('limit', 'limit must be an integer in 1-100');
  return n;
}

/** The tenant's endpoint row `id`, or `NOT_FOUND`. */
export async function endpointRow(endpoints: EndpointStore, tenant: string, id: string) {
  return (await endpoints.get(tenant, id)) ?? notFound(id);
}

/**
 * Caches shared by the instances of a deployment (keyv: memory, or Redis).
 *
 * @module
 */
export { createSharedCache, type SharedCache, type SharedCacheOptions } from './shared-cache.js';

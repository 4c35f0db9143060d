import type { BlobStore } from './blob-store.js';

/** A blob store whose deletes can be held back; see {@link createDeleteHold}. */
export interface DeleteHold {
  /** The store to use: while a hold is open, its `delete()` only notes the key. */
  readonly store: BlobStore;
  /** Opens a hold; the returned function releases it (once), deleting what waited once none is open. */
  hold(): () => Promise<void>;
}

/**
 * Holds back a store's deletes. A backup holds them while it reads the blobs its catalog copy
 * names, so a file deleted meanwhile still has its bytes in the archive. When the last hold is
 * released, each noted key goes through `remove` (which checks that nothing references it
 * again: a later upload of the same content may share the blob). A process that dies while
 * holding leaves those blobs unreferenced, for the orphan sweep and `fileforge fsck --repair`.
 */
export function createDeleteHold(
  store: BlobStore,
  remove: (key: string, store: BlobStore) => Promise<unknown>,
): DeleteHold {
  let holds = 0;
  const waiting = new Set<string>();
  const held = async (key: string) => {
    if (holds > 0) waiting.add(key);
    else await store.delete(key);
  };
  const wrapped = new Proxy(store, {
    get(target, property) {
      if (property === 'delete') return held;
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return {
    store: wrapped,
    hold() {
      holds++;
      let open = true;
      return async () => {
        if (!open) return;
        open = false;
        holds--;
        if (holds > 0) return;
        for (const key of [...waiting]) {
          waiting.delete(key);
          await remove(key, store).catch(() => {});
        }
      };
    },
  };
}

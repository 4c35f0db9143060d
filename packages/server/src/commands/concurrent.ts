/**
 * Runs `work` on every item, at most `concurrency` at a time, in the items' order, and
 * resolves when all are done. `work` reports its own failures: one that throws rejects the
 * whole (the other items already started still finish).
 */
export async function forEachConcurrently<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      await work(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, lane));
}

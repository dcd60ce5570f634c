/**
 * Runs `task` over `items` with at most `limit` in flight, results in input order. Listing and flushing
 * touch many small objects; on S3 each call is a round trip, so a few at once hide the latency without
 * flooding the store. Rejects with the first error once every started task has settled.
 */
export async function concurrently<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (next < items.length && failure === undefined) {
      const index = next++;
      try {
        results[index] = await task(items[index]);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure !== undefined) throw failure.error;
  return results;
}

const MAX_CACHED = 10_000;

/**
 * Maps a file id to a lane, always the same one (FNV-1a hash modulo the lane count), so all events of a
 * file travel one ordered lane. The last answers are cached: a run of lines costs a map lookup.
 */
export function laneRouter(lanes: number): (fileId: string) => number {
  if (lanes === 1) return () => 0;
  const cache = new Map<string, number>();
  return (fileId) => {
    let lane = cache.get(fileId);
    if (lane === undefined) {
      let hash = 0x811c9dc5;
      for (let i = 0; i < fileId.length; i++) {
        hash ^= fileId.charCodeAt(i);
        hash = Math.imul(hash, 0x01000193);
      }
      lane = (hash >>> 0) % lanes;
      // File ids come and go with rotation; forgetting them all now and then keeps the cache bounded.
      if (cache.size >= MAX_CACHED) cache.clear();
      cache.set(fileId, lane);
    }
    return lane;
  };
}

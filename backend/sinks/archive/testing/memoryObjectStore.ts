import type { ObjectStore } from '../../../../core/ports/objectStore.ts';

/** An ObjectStore in a Map, for tests of what sits above the store; `failPuts` makes writes fail. */
export function memoryObjectStore(): ObjectStore & { objects: Map<string, Uint8Array>; failPuts: boolean } {
  const objects = new Map<string, Uint8Array>();
  const store = {
    objects,
    failPuts: false,
    async put(key: string, body: Uint8Array) {
      if (store.failPuts) throw new Error('store unavailable (test)');
      objects.set(key, body.slice());
    },
    get: async (key: string) => objects.get(key),
    getRange: async (key: string, start: number, end: number) => objects.get(key)?.slice(start, end),
    list: async (prefix: string) =>
      [...objects]
        .filter(([key]) => key.startsWith(prefix))
        .map(([key, body]) => ({ key, bytes: body.byteLength })),
    async listFolders(prefix: string) {
      const folders = new Set<string>();
      for (const key of objects.keys()) {
        const rest = key.startsWith(prefix) ? key.slice(prefix.length) : '';
        if (rest.includes('/')) folders.add(rest.slice(0, rest.indexOf('/')));
      }
      return [...folders].sort();
    },
    async delete(keys: readonly string[]) {
      for (const key of keys) objects.delete(key);
    },
  };
  return store;
}

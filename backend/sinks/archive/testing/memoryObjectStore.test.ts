import { runArchiveContract } from '../../../engines/archive/contract/archiveContract.ts';
import { createArchive } from '../archive.ts';
import { memoryObjectStore } from './memoryObjectStore.ts';

// The fake the archive writer's tests use is held to the same contract as the real object stores.
runArchiveContract('memory object store (test fake)', async (tuning) => {
  const store = memoryObjectStore();
  return {
    archive: createArchive(store, tuning),
    rawKeys: async () => [...store.objects.keys()],
    rawGet: async (key) => store.objects.get(key),
    // A put is one Map.set: an interrupted one leaves nothing behind, which is what the contract asks.
    leavePartialWrite: async () => {},
    cleanup: async () => {},
  };
});

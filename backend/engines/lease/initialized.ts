import type { LeaseStore } from '../../../core/ports/leaseStore.ts';

/** The store once `init` (tables created) succeeded; closed again, not leaked, when it fails. */
export async function initialized(store: LeaseStore): Promise<LeaseStore> {
  try {
    await store.init();
  } catch (error) {
    await store.close().catch(() => undefined);
    throw error;
  }
  return store;
}

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runLeaseStoreContract } from '../contract/leaseStoreContract.ts';
import { openSqliteLeaseStore } from './sqliteLeaseStore.ts';

// Each store is its own connection to one file, as the processes of one machine would have.
runLeaseStoreContract('sqlite', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-leases-'));
  return {
    connect: async () => {
      const store = openSqliteLeaseStore(join(dir, 'leases.db'));
      await store.init();
      return store;
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});

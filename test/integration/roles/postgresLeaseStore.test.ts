import { before } from 'node:test';
import { runLeaseStoreContract } from '../../../backend/engines/lease/contract/leaseStoreContract.ts';
import { openPostgresLeaseStore } from '../../../backend/engines/lease/postgres/postgresLeaseStore.ts';
import { engineSettings, isolate, requireEngines } from '../../helpers/engines.ts';

before(() => requireEngines('postgres'));

// The same behaviour the SQLite lease store is held to, against the real PostgreSQL server, with each
// store on its own connection so "asking at once" really is concurrent.
runLeaseStoreContract('postgres', async () => {
  const iso = isolate('lease-store', ['postgres']);
  return {
    connect: async () => {
      const store = openPostgresLeaseStore({ url: engineSettings().pgUrl, schema: iso.pgSchema });
      await store.init();
      return store;
    },
    cleanup: () => iso.cleanup(),
  };
});

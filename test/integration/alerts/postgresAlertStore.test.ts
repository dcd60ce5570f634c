import { before } from 'node:test';
import { runAlertStoreContract } from '../../../backend/engines/alerts/contract/alertStoreContract.ts';
import { openPostgresAlertStore } from '../../../backend/engines/alerts/postgres/postgresAlertStore.ts';
import { silentLogger } from '../../../core/log/logger.ts';
import { engineSettings, isolate, requireEngines } from '../../helpers/engines.ts';

before(() => requireEngines('postgres'));

// The same behaviour the SQLite alert store is held to, against the real PostgreSQL server.
runAlertStoreContract('postgres', async () => {
  const iso = isolate('alert-store', ['postgres']);
  const store = await openPostgresAlertStore({
    url: engineSettings().pgUrl,
    schema: iso.pgSchema,
    log: silentLogger,
  });
  await store.init();
  return { store, cleanup: () => iso.cleanup() };
});

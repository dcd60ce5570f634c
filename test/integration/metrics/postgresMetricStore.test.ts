import { before } from 'node:test';
import { runMetricStoreContract } from '../../../backend/sinks/metrics/contract/metricStoreContract.ts';
import { openPostgresMetricStore } from '../../../backend/sinks/metrics/postgres/postgresMetricStore.ts';
import { silentLogger } from '../../../core/log/logger.ts';
import { engineSettings, isolate, requireEngines } from '../../helpers/engines.ts';

before(() => requireEngines('postgres'));

// The same behaviour the SQLite store is held to, against the real PostgreSQL server.
runMetricStoreContract('postgres', async () => {
  const iso = isolate('metric-store', ['postgres']);
  const store = await openPostgresMetricStore({
    url: engineSettings().pgUrl,
    schema: iso.pgSchema,
    log: silentLogger,
  });
  return { store, cleanup: () => iso.cleanup() };
});

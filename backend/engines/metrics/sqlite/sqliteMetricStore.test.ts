import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMetricStoreContract } from '../contract/metricStoreContract.ts';
import { openSqliteMetricStore } from './sqliteMetricStore.ts';

runMetricStoreContract('sqlite', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-metrics-'));
  return {
    store: openSqliteMetricStore(join(dir, 'metrics.db')),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});

import { runSearchStoreContract } from '../../../backend/sinks/search/contract/searchStoreContract.ts';
import { openOpenSearchStore } from '../../../backend/sinks/search/opensearch/openSearchStore.ts';
import { silentLogger } from '../../../core/log/logger.ts';
import { engineSettings, isolate, requireEngines } from '../../helpers/engines.ts';

runSearchStoreContract('opensearch', async () => {
  await requireEngines('opensearch');
  const isolation = isolate('search-contract', ['opensearch']);
  const store = openOpenSearchStore({
    nodes: [engineSettings().opensearchUrl],
    indexPrefix: isolation.indexPrefix,
    shards: 1,
    replicas: 0,
    log: silentLogger,
  });
  return { store, settle: () => store.refresh(), cleanup: () => isolation.cleanup() };
});

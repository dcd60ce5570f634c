import { runSearchStoreContract } from '../../../backend/sinks/search/contract/searchStoreContract.ts';
import { openOpenSearchStore } from '../../../backend/sinks/search/opensearch/openSearchStore.ts';
import { silentLogger } from '../../../core/log/logger.ts';
import { engineSettings, isolate, requireEngines } from '../../helpers/engines.ts';

async function openStore(name: string, sortTiebreak?: (id: string) => number) {
  await requireEngines('opensearch');
  const isolation = isolate(name, ['opensearch']);
  const store = openOpenSearchStore({
    nodes: [engineSettings().opensearchUrl],
    indexPrefix: isolation.indexPrefix,
    shards: 1,
    replicas: 0,
    log: silentLogger,
    sortTiebreak,
  });
  return { store, settle: () => store.refresh(), cleanup: () => isolation.cleanup() };
}

runSearchStoreContract('opensearch', () => openStore('search-contract'));

// Every event's fast sort key collides with every other event of the same time, so each page with ties
// at its edges must be asked again in the exact order: the contract still holds, hit for hit.
runSearchStoreContract('opensearch, colliding sort keys', () => openStore('search-collide', () => 42));

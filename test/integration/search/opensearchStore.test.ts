import { runSearchStoreContract } from '../../../backend/engines/search/contract/searchStoreContract.ts';
import { isolate, requireEngines } from '../../helpers/engines.ts';
import { isolatedStore } from './isolatedStore.ts';

async function openStore(name: string, sortTiebreak?: (id: string) => number) {
  await requireEngines('opensearch');
  const isolation = isolate(name, ['opensearch']);
  const store = isolatedStore(isolation, {
    sortTiebreak,
  });
  return { store, settle: () => store.refresh(), cleanup: () => isolation.cleanup() };
}

// The plain contract run is the registry's (test/integration/engines/registry.test.ts); this one swaps the
// sort-key hash, which no config can: every event's fast sort key collides with every other event of the same time, so each page with ties
// at its edges must be asked again in the exact order: the contract still holds, hit for hit.
runSearchStoreContract('opensearch, colliding sort keys', () => openStore('search-collide', () => 42));

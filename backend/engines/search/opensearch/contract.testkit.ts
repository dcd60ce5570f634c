import type { SearchStore } from '../../../../core/ports/searchStore.ts';
import { engineSettings, isolate, requireEngines } from '../../../../test/helpers/engines.ts';
import type { SearchFixture } from '../../descriptor.ts';
import type { OpenSearchStore } from './openSearchStore.ts';

export const fixtures = {
  // The cluster from deploy/local, under the isolation's own index prefix: one shard, no replica.
  'deploy/local cluster': async (): Promise<SearchFixture> => {
    await requireEngines('opensearch');
    const iso = isolate('search-contract', ['opensearch']);
    return {
      config: {
        kind: 'opensearch',
        nodes: [engineSettings().opensearchUrl],
        index_prefix: iso.indexPrefix,
        shards: 1,
        replicas: 0,
      },
      // Writes become searchable at the next refresh; the contract asks for one instead of waiting.
      settle: (store: SearchStore) => (store as OpenSearchStore).refresh(),
      cleanup: () => iso.cleanup(),
    };
  },
};

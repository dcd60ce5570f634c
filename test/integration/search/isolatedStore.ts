import {
  type OpenSearchStore,
  type OpenSearchStoreOptions,
  openOpenSearchStore,
} from '../../../backend/engines/search/opensearch/openSearchStore.ts';
import { silentLogger } from '../../../core/log/logger.ts';
import { engineSettings, type Isolation } from '../../helpers/engines.ts';

/** An OpenSearch store on the test engine under the isolation's own index prefix: one shard, no replica. */
export function isolatedStore(
  isolation: Isolation,
  options: Partial<OpenSearchStoreOptions> = {},
): OpenSearchStore {
  return openOpenSearchStore({
    nodes: [engineSettings().opensearchUrl],
    indexPrefix: isolation.indexPrefix,
    shards: 1,
    replicas: 0,
    log: silentLogger,
    ...options,
  });
}

import type { SearchDescriptor } from '../../descriptor.ts';
import { checkOpenSearch, probeOpenSearch } from './check.ts';
import { openSearchSchema } from './config.ts';
import { openOpenSearchStore } from './openSearchStore.ts';

/** `search.kind: opensearch`: daily indices in an OpenSearch cluster (distributed mode). */
export const openSearch: SearchDescriptor<typeof openSearchSchema> = {
  port: 'search',
  kind: 'opensearch',
  schema: openSearchSchema,
  async open(config, { log }) {
    const store = openOpenSearchStore({
      nodes: config.nodes,
      indexPrefix: config.index_prefix,
      shards: config.shards,
      replicas: config.replicas,
      username: config.username,
      password: config.password,
      caFile: config.ca_file,
      bulk: { maxRequestBytes: config.bulk_bytes, concurrency: config.bulk_requests },
      log,
    });
    await store.init();
    return store;
  },
  check: checkOpenSearch,
  probe: probeOpenSearch,
  contract: { needs: 'server', fixtures: async () => (await import('./contract.testkit.ts')).fixtures },
};

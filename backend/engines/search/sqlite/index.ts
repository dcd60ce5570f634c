import type { SearchDescriptor } from '../../descriptor.ts';
import { checkSqliteSearch, probeSqliteSearch } from './check.ts';
import { sqliteSearchSchema } from './config.ts';
import { openSqliteSearchStore } from './sqliteSearchStore.ts';

/** `search.kind: sqlite`: FTS5 databases in a local directory (standalone). */
export const sqliteSearch: SearchDescriptor<typeof sqliteSearchSchema> = {
  port: 'search',
  kind: 'sqlite',
  schema: sqliteSearchSchema,
  async open(config) {
    const store = openSqliteSearchStore({ path: config.path });
    await store.init();
    return store;
  },
  check: checkSqliteSearch,
  probe: probeSqliteSearch,
  contract: { needs: 'embedded', fixtures: async () => (await import('./contract.testkit.ts')).fixtures },
};

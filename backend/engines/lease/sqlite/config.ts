import * as v from 'valibot';

/** Where the SQLite lease store lives: derived from `metrics` (leaseStoreConfig), not a section of sluice.yaml. */
export const sqliteLeasesSchema = v.strictObject({
  kind: v.pipe(v.literal('sqlite'), v.description('Which lease store: the metrics store is SQLite.')),
  path: v.pipe(v.string(), v.description('`leases.db` beside the SQLite metrics file (`metrics.path`).')),
});

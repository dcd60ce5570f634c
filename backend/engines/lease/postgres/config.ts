import * as v from 'valibot';

/** Where the PostgreSQL lease store lives: derived from `metrics` (leaseStoreConfig), not a section of sluice.yaml. */
export const postgresLeasesSchema = v.strictObject({
  kind: v.pipe(v.literal('postgres'), v.description('Which lease store: the metrics store is PostgreSQL.')),
  url: v.pipe(v.string(), v.description("The metric store's connection URL (`metrics.url`).")),
  schema: v.pipe(v.string(), v.description("The metric store's schema (`metrics.schema`).")),
});

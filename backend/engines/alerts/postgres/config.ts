import * as v from 'valibot';

/** Where the PostgreSQL alert store lives: derived from `metrics` (alertStoreConfig), not a section of sluice.yaml. */
export const postgresAlertsSchema = v.strictObject({
  kind: v.pipe(v.literal('postgres'), v.description('Which alert store: the metrics store is PostgreSQL.')),
  url: v.pipe(v.string(), v.description("The metric store's connection URL (`metrics.url`).")),
  schema: v.pipe(v.string(), v.description("The metric store's schema (`metrics.schema`).")),
});

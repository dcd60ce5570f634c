import * as v from 'valibot';

/** SQLite metric store: one database file. Its `kind:` variant of sluice.yaml; docs/configuration.md is generated from the descriptions. */
export const sqliteMetricsSchema = v.strictObject({
  kind: v.optional(v.pipe(v.literal('sqlite'), v.description('Which metrics store to use.')), 'sqlite'),
  path: v.optional(
    v.pipe(v.string(), v.description('SQLite database file for metric points.')),
    './data/metrics.db',
  ),
});

import * as v from 'valibot';

/** Where the SQLite alert store lives: derived from `metrics` (alertStoreConfig), not a section of sluice.yaml. */
export const sqliteAlertsSchema = v.strictObject({
  kind: v.pipe(v.literal('sqlite'), v.description('Which alert store: the metrics store is SQLite.')),
  path: v.pipe(v.string(), v.description('`alerts.db` beside the SQLite metrics file (`metrics.path`).')),
});

import * as v from 'valibot';

/** SQLite (FTS5) search store: one database per tenant per day. Its `kind:` variant of sluice.yaml; docs/configuration.md is generated from the descriptions. */
export const sqliteSearchSchema = v.strictObject({
  kind: v.optional(v.pipe(v.literal('sqlite'), v.description('Which search store to use.')), 'sqlite'),
  path: v.optional(
    v.pipe(
      v.string(),
      v.description(
        'Directory of the SQLite (FTS5) databases, one per tenant per day, so retention deletes files.',
      ),
    ),
    './data/search',
  ),
});

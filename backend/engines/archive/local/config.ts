import * as v from 'valibot';

/** The archive in a local directory. Its `kind:` variant of sluice.yaml; docs/configuration.md is generated from the descriptions. */
export const localArchiveSchema = v.strictObject({
  kind: v.optional(v.pipe(v.literal('local'), v.description('Which archive to use.')), 'local'),
  dir: v.optional(v.pipe(v.string(), v.description('Directory of the Parquet files.')), './data/archive'),
});

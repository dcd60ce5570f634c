// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} here is config syntax, not a template.
import * as v from 'valibot';

/** PostgreSQL (or TimescaleDB) metric store. Its `kind:` variant of sluice.yaml; docs/configuration.md is generated from the descriptions. */
export const postgresMetricsSchema = v.strictObject({
  kind: v.pipe(v.literal('postgres'), v.description('Which metrics store to use.')),
  url: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^postgres(ql)?:\/\//, 'expected a URL such as postgres://user:pass@host:5432/db'),
      v.description('Connection URL; put the password in `${PGPASSWORD}`-style variables.'),
    ),
    'postgres://127.0.0.1:5432/sluice',
  ),
  schema: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^[a-z_][a-z0-9_]*$/, 'expected a schema name: lower-case letters, digits and "_"'),
      v.description("PostgreSQL schema for Sluice's tables (created if missing)."),
    ),
    'public',
  ),
});

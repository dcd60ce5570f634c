// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} here is config syntax, not a template.
import * as v from 'valibot';
import { positiveInt } from '../../../../core/config/fields/count.ts';
import { sizeSchema } from '../../../../core/units/schema.ts';

/** OpenSearch search store: one index per tenant per day. Its `kind:` variant of sluice.yaml; docs/configuration.md is generated from the descriptions. */
export const openSearchSchema = v.strictObject({
  kind: v.pipe(v.literal('opensearch'), v.description('Which search store to use.')),
  nodes: v.optional(
    v.pipe(v.array(v.pipe(v.string(), v.url())), v.minLength(1), v.description('OpenSearch node URLs.')),
    ['http://127.0.0.1:9200'],
  ),
  index_prefix: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^[a-z0-9][a-z0-9_-]*$/, 'expected lower-case letters, digits, "_" and "-"'),
      v.description('Indices are named `<prefix>-<tenant>-YYYY.MM.DD`.'),
    ),
    'sluice',
  ),
  shards: v.optional(v.pipe(positiveInt(), v.description('Primary shards per daily index.')), 1),
  replicas: v.optional(
    v.pipe(v.number(), v.integer(), v.minValue(0), v.description('Replicas per shard.')),
    1,
  ),
  username: v.optional(v.pipe(v.string(), v.description('Basic-auth user; absent means no authentication.'))),
  password: v.optional(
    v.pipe(v.string(), v.description('Basic-auth password; use `${OPENSEARCH_PASSWORD}`.')),
  ),
  bulk_bytes: v.optional(
    v.pipe(
      sizeSchema({ min: 64 * 1024, max: 100 * 1024 * 1024 }),
      v.description(
        'Largest `_bulk` request body. OpenSearch indexes 5–10 MB bodies at the least cost per document; its `http.max_content_length` (100mb by default) is the upper bound.',
      ),
    ),
    '8MiB',
  ),
  bulk_requests: v.optional(
    v.pipe(
      positiveInt(),
      v.description(
        'Bulk requests one batch may have in flight at once (each indexer consumer sends its own; docs/operations.md).',
      ),
    ),
    2,
  ),
  ca_file: v.optional(v.pipe(v.string(), v.description('PEM CA file for https nodes with a private CA.'))),
});

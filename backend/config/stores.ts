import * as v from 'valibot';
import { ARCHIVE, BUS, kindSchemas, METRICS, SEARCH } from '../engines/registry.ts';

// Each section is the variant, by `kind`, of the adapters the registry lists (backend/engines/registry.ts);
// each adapter's keys and their descriptions live in its own folder (backend/engines/<port>/<kind>/config.ts).

export const busSchema = v.optional(
  v.pipe(
    v.variant('kind', kindSchemas(BUS)),
    v.description('The durable log between gateway and workers: embedded (a local directory) or Kafka.'),
  ),
  { kind: 'embedded' },
);

export const searchSchema = v.optional(
  v.pipe(
    v.variant('kind', kindSchemas(SEARCH)),
    v.description('Where events are indexed for search: SQLite (standalone) or OpenSearch.'),
  ),
  { kind: 'sqlite' },
);

export const metricsSchema = v.optional(
  v.pipe(
    v.variant('kind', kindSchemas(METRICS)),
    v.description(
      'Where metric points (counts, rates, aggregates) are stored: SQLite or PostgreSQL/TimescaleDB.',
    ),
  ),
  { kind: 'sqlite' },
);

export const archiveSchema = v.optional(
  v.pipe(
    v.variant('kind', kindSchemas(ARCHIVE)),
    v.description(
      'Where hourly Parquet files of all events are kept: a local directory or S3-compatible storage.',
    ),
  ),
  { kind: 'local' },
);

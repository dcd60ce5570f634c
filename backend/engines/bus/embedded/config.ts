import * as v from 'valibot';
import { positiveInt } from '../../../../core/config/fields/count.ts';
import { durationSchema, sizeSchema } from '../../../../core/units/schema.ts';

/** The embedded bus: a durable log in a local directory, one process at a time. Its `kind:` variant of sluice.yaml; docs/configuration.md is generated from the descriptions. */
export const embeddedBusSchema = v.strictObject({
  kind: v.optional(v.pipe(v.literal('embedded'), v.description('Which bus to use.')), 'embedded'),
  dir: v.optional(
    v.pipe(v.string(), v.description('Directory holding the log segments and consumer offsets.')),
    './data/bus',
  ),
  partitions: v.optional(
    v.pipe(positiveInt(), v.description('Partitions per topic; more lets more work run in parallel.')),
    4,
  ),
  fsync: v.optional(
    v.pipe(
      v.picklist(['always', 'interval', 'never']),
      v.description(
        'When appended records reach the disk. `always`: before each produce is acknowledged (no acknowledged record is lost on power failure). `interval`: every `fsync_interval` (up to that much can be lost). `never`: left to the OS.',
      ),
    ),
    'always',
  ),
  fsync_interval: v.optional(
    v.pipe(durationSchema({ min: 1 }), v.description('How often to fsync when `fsync: interval`.')),
    '1s',
  ),
  segment_bytes: v.optional(
    v.pipe(
      sizeSchema({ min: 1024 }),
      v.description(
        'Size at which a segment file is closed and a new one started; retention drops whole segments.',
      ),
    ),
    '64MiB',
  ),
  retention: v.optional(
    v.pipe(
      v.strictObject({
        max_age: v.optional(
          v.pipe(
            durationSchema(),
            v.description('Segments older than this are deleted once every consumer group has read them.'),
          ),
          '7d',
        ),
        max_bytes: v.optional(
          v.pipe(
            sizeSchema(),
            v.description('Largest size of one partition on disk; the oldest segments go first.'),
          ),
          '10GiB',
        ),
      }),
      v.description('How long the bus keeps records already consumed.'),
    ),
    {},
  ),
});

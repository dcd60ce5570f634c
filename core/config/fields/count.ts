import * as v from 'valibot';

/** A whole number of at least 1: partitions, shards, replication factors. */
export const positiveInt = () => v.pipe(v.number(), v.integer(), v.minValue(1));

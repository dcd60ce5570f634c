/**
 * Options of the embedded bus. The schema covers what comes from configuration (`bus:` in sluice.yaml,
 * durations and sizes already converted to ms and bytes); hooks are passed in code.
 */
import * as v from 'valibot';
import { createLogger } from '../../../../core/log/logger.ts';
import type { BusEvent } from './busEvents.ts';
import { InvalidBusOptionsError } from './errors.ts';

const MiB = 1024 * 1024;

const positiveInt = (max: number) => v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(max));

export const embeddedBusConfigSchema = v.strictObject({
  /** Directory holding the log (created if missing). */
  dir: v.pipe(v.string(), v.minLength(1)),
  /** Partitions of each new topic; existing topics keep the count they were created with. */
  partitions: v.optional(positiveInt(1024), 4),
  /**
   * 'always': produce() resolves after fdatasync (survives power loss); 'interval': after the write,
   * fsync every fsyncIntervalMs (survives a process crash, a power loss may take the last interval);
   * 'never': the OS decides (survives a process crash only).
   */
  fsync: v.optional(v.picklist(['always', 'interval', 'never']), 'always'),
  fsyncIntervalMs: v.optional(positiveInt(3_600_000), 1000),
  /** Size at which the active segment is rolled; also the granularity of retention. */
  segmentBytes: v.optional(
    v.pipe(v.number(), v.integer(), v.minValue(1024), v.maxValue(1024 * MiB)),
    64 * MiB,
  ),
  retention: v.optional(
    v.strictObject({
      maxAgeMs: v.optional(positiveInt(Number.MAX_SAFE_INTEGER)),
      maxBytes: v.optional(positiveInt(Number.MAX_SAFE_INTEGER)),
    }),
    {},
  ),
  /** How often retention runs (it also runs whenever a segment rolls). */
  retentionCheckIntervalMs: v.optional(positiveInt(86_400_000), 60_000),
});

export type EmbeddedBusConfig = v.InferInput<typeof embeddedBusConfigSchema>;

export interface EmbeddedBusOptions extends EmbeddedBusConfig {
  /** Receives recoveries, offset resets, handler failures and retention deletions; default: logged. */
  onEvent?: (event: BusEvent) => void;
}

export type ResolvedOptions = v.InferOutput<typeof embeddedBusConfigSchema> & {
  onEvent: (event: BusEvent) => void;
};

export function resolveOptions(options: EmbeddedBusOptions): ResolvedOptions {
  const { onEvent, ...config } = options;
  const result = v.safeParse(embeddedBusConfigSchema, config);
  if (!result.success) {
    throw new InvalidBusOptionsError(
      result.issues.map((issue) => `${v.getDotPath(issue) ?? '(options)'}: ${issue.message}`),
    );
  }
  return { ...result.output, onEvent: onEvent ?? logEvent };
}

const log = createLogger({ component: 'embedded-bus' });

function logEvent(event: BusEvent): void {
  const fields = event as unknown as Record<string, unknown>;
  if (event.type === 'segments-deleted') log.info(event.type, fields);
  else log.warn(event.type, fields);
}

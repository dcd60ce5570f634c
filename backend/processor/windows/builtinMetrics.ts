import type { LogEvent } from '../../../core/event/types.ts';
import { levelRank } from '../../../core/event/types.ts';
import type { MetricPoint } from '../../../core/ports/metricStore.ts';
import type { WindowFamily } from './windowFamily.ts';
import { createWindowTable } from './windowTable.ts';

/** The built-in metrics are per (tenant, service) on tumbling windows, one minute unless configured. */
export const BUILTIN_WINDOW_MS = 60_000;
export const BUILTIN_METRICS = ['log_count', 'error_count', 'error_rate'] as const;
/** Name used in the `aggregate` label of late_events for the built-in metrics. */
export const BUILTIN_AGGREGATE = 'builtin';

const ERROR_RANK = levelRank('error');

interface BuiltinGroup {
  tenant: string;
  service: string;
  logs: number;
  errors: number;
}

/**
 * log_count: events in the window; error_count: those at level error or fatal; error_rate:
 * error_count / log_count, a ratio from 0 to 1 (not a per-second rate).
 */
export function createBuiltinMetrics(
  partition: string,
  windowMs: number,
  latenessMs: number,
  lateUpdatesMs: number,
): WindowFamily {
  const table = createWindowTable<BuiltinGroup>(latenessMs, lateUpdatesMs);
  const horizon = windowMs + latenessMs + lateUpdatesMs;

  return {
    name: BUILTIN_AGGREGATE,
    table,
    add(
      event: LogEvent,
      key: string,
      ts: number,
      offset: bigint,
      clockBefore: number,
      emittedThrough: number,
    ) {
      const start = Math.floor(ts / windowMs) * windowMs;
      const evictAt = start + horizon;
      if (evictAt <= clockBefore) return true;
      // Final before a restart: its value is already stored, and this record is in it.
      if (evictAt <= emittedThrough) return false;
      const slot = table.slot(start, start + windowMs, offset, clockBefore);
      let group = slot.groups.get(key);
      if (group === undefined) {
        group = { tenant: event.tenant, service: event.service, logs: 0, errors: 0 };
        slot.groups.set(key, group);
      }
      group.logs++;
      if (levelRank(event.level) >= ERROR_RANK) group.errors++;
      slot.version++;
      return false;
    },
    collect(clock: number, publishClock: number, out: MetricPoint[]) {
      table.collect(clock, publishClock, (slot) => {
        for (const group of slot.groups.values()) {
          const labels = () => ({ tenant: group.tenant, service: group.service, partition });
          out.push({ name: 'log_count', labels: labels(), bucket: slot.start, value: group.logs });
          out.push({ name: 'error_count', labels: labels(), bucket: slot.start, value: group.errors });
          out.push({
            name: 'error_rate',
            labels: labels(),
            bucket: slot.start,
            value: group.errors / group.logs,
          });
        }
      });
    },
  };
}

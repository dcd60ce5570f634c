import type { MetricPoint } from '../../../core/ports/metricStore.ts';
import { createWindowTable, type WindowTable } from './windowTable.ts';

/**
 * late_events: events dropped from a window because they came after it was final, per (tenant,
 * service, aggregate). They are bucketed by the minute of the partition's clock when they arrived, not
 * by their own time: a bucket then closes for good as soon as the clock leaves its minute, so it is a
 * window like any other (final, replayable, holding back the commit while open) and its count is the
 * same after a crash and replay.
 */
export const LATE_BUCKET_MS = 60_000;
export const LATE_EVENTS_METRIC = 'late_events';

interface LateGroup {
  tenant: string;
  service: string;
  aggregate: string;
  count: number;
}

export interface LateEvents {
  table: WindowTable<LateGroup>;
  count(
    tenant: string,
    service: string,
    aggregate: string,
    offset: bigint,
    clock: number,
    emittedThrough: number,
  ): void;
  collect(clock: number, publishClock: number, out: MetricPoint[]): void;
}

export function createLateEvents(partition: string): LateEvents {
  const table = createWindowTable<LateGroup>(0, 0);
  return {
    table,
    count(tenant, service, aggregate, offset, clock, emittedThrough) {
      const start = Math.floor(clock / LATE_BUCKET_MS) * LATE_BUCKET_MS;
      const end = start + LATE_BUCKET_MS;
      if (end <= emittedThrough) return; // counted and stored before a restart
      const slot = table.slot(start, end, offset, clock);
      const key = `${aggregate}\u0000${tenant}\u0000${service}`;
      let group = slot.groups.get(key);
      if (group === undefined) {
        group = { tenant, service, aggregate, count: 0 };
        slot.groups.set(key, group);
      }
      group.count++;
      slot.version++;
    },
    collect(clock, publishClock, out) {
      table.collect(clock, publishClock, (slot) => {
        for (const group of slot.groups.values()) {
          const { tenant, service, aggregate, count } = group;
          out.push({
            name: LATE_EVENTS_METRIC,
            labels: { tenant, service, partition, aggregate },
            bucket: slot.start,
            value: count,
          });
        }
      });
    },
  };
}

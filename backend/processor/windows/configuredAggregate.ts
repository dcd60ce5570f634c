import type { LogEvent } from '../../../core/event/types.ts';
import type { MetricPoint } from '../../../core/ports/metricStore.ts';
import { createReducer, type GroupState } from './aggregates/reducer.ts';
import { attributeName } from './fieldAccess.ts';
import type { AggregateSpec } from './types.ts';
import type { WindowFamily } from './windowFamily.ts';
import type { WindowShape } from './windowShape.ts';
import { createWindowTable } from './windowTable.ts';

interface AggregateGroup {
  tenant: string;
  service: string;
  state: GroupState;
}

export interface ResolvedAggregate {
  spec: AggregateSpec;
  shape: WindowShape;
  latenessMs: number;
  lateUpdatesMs: number;
}

/** One configured aggregate (count, count_by, sum, avg, min, max, p50/p95/p99) per (tenant, service). */
export function createConfiguredAggregate(partition: string, resolved: ResolvedAggregate): WindowFamily {
  const { spec, shape, latenessMs, lateUpdatesMs } = resolved;
  const { sizeMs, hopMs } = shape;
  const table = createWindowTable<AggregateGroup>(latenessMs, lateUpdatesMs);
  const reducer = createReducer(spec.aggregate, spec);
  const where = spec.where;
  const byLabel = spec.by === undefined ? undefined : attributeName(spec.by);
  const horizon = sizeMs + latenessMs + lateUpdatesMs;

  return {
    name: spec.name,
    table,
    add(
      event: LogEvent,
      key: string,
      ts: number,
      offset: bigint,
      clockBefore: number,
      emittedThrough: number,
    ) {
      if (where !== undefined && !where(event)) return false;
      const input = reducer.read(event);
      if (input === undefined) return false;
      let late = false;
      // Every window [start, start + size) holding ts, latest first (one for tumbling windows).
      for (let start = Math.floor(ts / hopMs) * hopMs; start > ts - sizeMs; start -= hopMs) {
        const evictAt = start + horizon;
        if (evictAt <= clockBefore) {
          late = true;
          continue;
        }
        // Final before a restart: its value is already stored, and this record is in it.
        if (evictAt <= emittedThrough) continue;
        const slot = table.slot(start, start + sizeMs, offset, clockBefore);
        let group = slot.groups.get(key);
        if (group === undefined) {
          group = { tenant: event.tenant, service: event.service, state: reducer.create() };
          slot.groups.set(key, group);
        }
        group.state.add(input);
        slot.version++;
      }
      return late;
    },
    collect(clock: number, publishClock: number, out: MetricPoint[]) {
      table.collect(clock, publishClock, (slot) => {
        for (const group of slot.groups.values()) {
          group.state.emit((byValue, value) => {
            const labels: Record<string, string> = {
              tenant: group.tenant,
              service: group.service,
              partition,
            };
            if (byLabel !== undefined && byValue !== undefined) labels[byLabel] = byValue;
            out.push({ name: spec.name, labels, bucket: slot.start, value });
          });
        }
      });
    },
  };
}

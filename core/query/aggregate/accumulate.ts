import type { LogEvent } from '../../event/types.ts';
import { levelRank } from '../../event/types.ts';
import { eventMs } from '../evaluate.ts';
import { attrText, readAttr } from '../values.ts';
import type { AggField, AggFunction, AggregatePartial, AggregatePlan, AggState, GroupKey } from './ast.ts';
import { bucketStart, tooManyGroups } from './plan.ts';

/**
 * The reference semantics of aggregations, written to be obviously right: every store's compiler is
 * property-tested against it, and the archive is aggregated with it (after block pruning by time).
 *
 * - An event lacking any group-by field (or a bucket: an unreadable ts) is left out, as in Splunk.
 * - A field's value is its text: level names, keyword values, attributes as `attrText` (so the number
 *   504 and the string "504" fall in one group).
 * - Numeric functions read numeric attributes only; an event whose attribute is missing or not a
 *   number does not count towards them. A group with no such value answers null.
 */
export function fieldText(field: AggField, event: LogEvent): string | undefined {
  switch (field.kind) {
    case 'level':
      return levelRank(event.level) >= 0 ? event.level : undefined;
    case 'keyword': {
      const value = event[field.field];
      return typeof value === 'string' ? value : undefined;
    }
    case 'attr': {
      const value = readAttr(event.attrs, field.name);
      return value === undefined ? undefined : attrText(value);
    }
  }
}

function fieldNumber(field: AggField | null, event: LogEvent): number | undefined {
  if (field === null || field.kind !== 'attr') return undefined;
  const value = readAttr(event.attrs, field.name);
  return typeof value === 'number' ? value : undefined;
}

export function emptyState(fn: AggFunction): AggState {
  switch (fn.fn) {
    case 'count':
      return { t: 'count', n: 0 };
    case 'sum':
    case 'avg':
      return { t: 'sum', sum: 0, n: 0 };
    case 'min':
    case 'max':
      return { t: fn.fn, v: null };
    case 'count_distinct':
      return { t: 'distinct', values: new Set() };
    case 'percentile':
      return { t: 'values', values: [] };
  }
}

function addTo(state: AggState, fn: AggFunction, event: LogEvent): void {
  switch (state.t) {
    case 'count':
      if (fn.field === null || fieldText(fn.field, event) !== undefined) state.n++;
      return;
    case 'distinct': {
      const text = fieldText(fn.field as AggField, event);
      if (text !== undefined) state.values.add(text);
      return;
    }
    default: {
      const value = fieldNumber(fn.field, event);
      if (value === undefined) return;
      if (state.t === 'sum') {
        state.sum += value;
        state.n++;
      } else if (state.t === 'min') state.v = state.v === null ? value : Math.min(state.v, value);
      else if (state.t === 'max') state.v = state.v === null ? value : Math.max(state.v, value);
      else if (state.t === 'values') state.values.push(value);
    }
  }
}

/** The group key of an event, or undefined when it lacks a group-by field. */
export function groupKeyOf(plan: AggregatePlan, event: LogEvent): GroupKey | undefined {
  const key: GroupKey = [];
  for (const group of plan.by) {
    if (group.kind === 'bucket') {
      const ms = eventMs(event);
      if (ms === undefined) return undefined;
      key.push(bucketStart(ms, group.ms));
    } else {
      const text = fieldText(group.field, event);
      if (text === undefined) return undefined;
      key.push(text);
    }
  }
  return key;
}

/** Folds events into a partial, one at a time (archive scans stream blocks through it). */
export function createAccumulator(plan: AggregatePlan) {
  const groups: AggregatePartial = new Map();
  return {
    add(event: LogEvent): void {
      const key = groupKeyOf(plan, event);
      if (key === undefined) return;
      const id = JSON.stringify(key);
      let group = groups.get(id);
      if (group === undefined) {
        if (groups.size >= plan.maxGroups) throw tooManyGroups(plan);
        group = { key, states: plan.functions.map(emptyState) };
        groups.set(id, group);
      }
      for (let i = 0; i < plan.functions.length; i++) addTo(group.states[i], plan.functions[i], event);
    },
    partial(): AggregatePartial {
      return groups;
    },
  };
}

/** The reference: the partial of the events `matches` admits. */
export function aggregateEvents(
  plan: AggregatePlan,
  events: Iterable<LogEvent>,
  matches: (event: LogEvent) => boolean = () => true,
): AggregatePartial {
  const accumulator = createAccumulator(plan);
  for (const event of events) if (matches(event)) accumulator.add(event);
  return accumulator.partial();
}

import type { LogEvent } from '../../../../core/event/types.ts';
import { compileFieldReader, labelValue, numericValue } from '../fieldAccess.ts';
import type { AggregateKind } from '../types.ts';
import { createCountByState } from './countBy.ts';
import { createQuantileState } from './quantiles.ts';

/** Receives one point of a group's window: the count_by value (undefined otherwise) and the number. */
export type PointSink = (byValue: string | undefined, value: number) => void;

/** One group's running aggregate inside one window. */
export interface GroupState {
  add(input: number | string): void;
  emit(sink: PointSink): void;
}

/** How one configured aggregate reads events and accumulates them. */
export interface Reducer {
  /** What the event contributes; undefined when it has no usable value (it then takes no part). */
  read(event: LogEvent): number | string | undefined;
  create(): GroupState;
}

const QUANTILES: Partial<Record<AggregateKind, number>> = { p50: 0.5, p95: 0.95, p99: 0.99 };

export function createReducer(
  kind: AggregateKind,
  options: { field?: string; by?: string; top?: number },
): Reducer {
  if (kind === 'count') return { read: () => 1, create: createCounter };
  if (kind === 'count_by') {
    const readBy = compileFieldReader(options.by!);
    const top = options.top!;
    return {
      read: (event) => labelValue(readBy(event)),
      create: () => {
        const state = createCountByState(top);
        return { add: (input) => state.add(input as string), emit: (sink) => state.emit(sink) };
      },
    };
  }
  const readField = compileFieldReader(options.field!);
  const read = (event: LogEvent) => numericValue(readField(event));
  const q = QUANTILES[kind];
  if (q !== undefined) {
    return {
      read,
      create: () => {
        const state = createQuantileState(q);
        return { add: (input) => state.add(input as number), emit: (sink) => sink(undefined, state.value()) };
      },
    };
  }
  return { read, create: () => createSummary(kind) };
}

function createCounter(): GroupState {
  let count = 0;
  return { add: () => count++, emit: (sink) => sink(undefined, count) };
}

/** sum, avg, min and max in one pass; a group exists only once it has a value, so avg never divides by 0. */
function createSummary(kind: AggregateKind): GroupState {
  let count = 0;
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  return {
    add(input) {
      const value = input as number;
      count++;
      sum += value;
      if (value < min) min = value;
      if (value > max) max = value;
    },
    emit(sink) {
      const value = kind === 'sum' ? sum : kind === 'avg' ? sum / count : kind === 'min' ? min : max;
      sink(undefined, value);
    },
  };
}

import type { AggregatePartial, AggregatePlan, AggregateTable, GroupKey, PartialGroup } from './ast.ts';
import { finishState } from './merge.ts';

/**
 * The answer's table: group columns then function columns. `stats` rows are ordered by their group
 * keys (time, then values in code point order); `top` rows by count, largest first, ties by value.
 * Only groups holding events appear: empty buckets are left out (`bucket_ms` lets a chart fill them).
 */
export function finishAggregate(plan: AggregatePlan, partial: AggregatePartial): AggregateTable {
  const columns: AggregateTable['columns'] = [
    ...plan.by.map((group) =>
      group.kind === 'bucket'
        ? { name: 'bucket', type: 'time' as const }
        : { name: group.name, type: 'string' as const },
    ),
    ...plan.functions.map((fn) => ({ name: fn.name, type: 'number' as const })),
  ];
  let groups = [...partial.values()];
  if (plan.top !== null) {
    const count = (g: PartialGroup) => finishState(plan.functions[0], g.states[0]) ?? 0;
    groups.sort((a, b) => count(b) - count(a) || compareKeys(a.key, b.key));
    groups = groups.slice(0, plan.top);
  } else {
    groups.sort((a, b) => compareKeys(a.key, b.key));
  }
  const rows = groups.map((group) => [
    ...group.key.map((value, i) =>
      plan.by[i].kind === 'bucket' ? new Date(value as number).toISOString() : value,
    ),
    ...plan.functions.map((fn, i) => finishState(fn, group.states[i])),
  ]);
  return { columns, rows, bucket_ms: plan.bucketMs };
}

export function compareKeys(a: GroupKey, b: GroupKey): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    return compareCodePoints(String(x), String(y));
  }
  return 0;
}

/**
 * Code point order (UTF-8 byte order, as SQLite and Lucene compare), not JavaScript's UTF-16 order,
 * which differs once surrogate pairs meet U+E000–U+FFFF: shifting units as below turns one into the other.
 */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800) x += x >= 0xe000 ? -0x800 : 0x2000;
    if (y >= 0xd800) y += y >= 0xe000 ? -0x800 : 0x2000;
    return x - y;
  }
  return a.length - b.length;
}

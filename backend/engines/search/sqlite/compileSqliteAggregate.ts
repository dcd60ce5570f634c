import { LEVELS } from '../../../../core/event/types.ts';
import type {
  AggField,
  AggFunction,
  AggregatePartial,
  AggregatePlan,
  AggState,
  GroupKey,
} from '../../../../core/query/aggregate/index.ts';
import { tooManyGroups } from '../../../../core/query/aggregate/index.ts';
import { attrJsonPath } from './compileSqlite.ts';

/**
 * Compiles an aggregation plan to one SELECT over a partition's `events` rows (the filter's WHERE is
 * the caller's), with the reference semantics of core/query/aggregate/accumulate.ts:
 * group keys and function inputs are computed in an inner SELECT, rows lacking a group key are left
 * out, numeric functions see only numeric attributes, and count_distinct / percentiles return their
 * values (json_group_array) so partials of several days merge exactly. Every user value is bound.
 */
export interface SqliteAggregate {
  /** `SELECT … FROM (SELECT … FROM events WHERE <where>) …`: put the filter's WHERE at `{where}`. */
  sql: string;
  /** Parameters before and after the filter's own. */
  before: Array<string | number>;
  after: Array<string | number>;
  /** Turns the statement's rows into a partial. */
  read(rows: ReadonlyArray<Record<string, unknown>>): AggregatePartial;
}

type Param = string | number;

/** An attribute's text (attrText): strings as they are, numbers in their JSON form, booleans as words. */
function attrTextSql(name: string, params: Param[]): string {
  const path = attrJsonPath(name);
  params.push(path, path, path, path);
  return (
    "(CASE json_type(attrs, ?) WHEN 'text' THEN json_extract(attrs, ?) " +
    "WHEN 'integer' THEN attrs -> ? WHEN 'real' THEN attrs -> ? " +
    "WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' END)"
  );
}

/** The field's value as text, NULL when missing; level is its rank (mapped back to a name when read). */
function fieldSql(field: AggField, params: Param[]): string {
  switch (field.kind) {
    case 'level':
      return 'level';
    case 'keyword':
      return field.field;
    case 'attr':
      return attrTextSql(field.name, params);
  }
}

function numberSql(field: AggField, params: Param[]): string {
  const path = attrJsonPath((field as { name: string }).name);
  params.push(path, path);
  return "(CASE WHEN json_type(attrs, ?) IN ('integer','real') THEN json_extract(attrs, ?) END)";
}

export function compileSqliteAggregate(plan: AggregatePlan): SqliteAggregate {
  const before: Param[] = [];
  const inner: string[] = [];
  const groups: string[] = [];
  plan.by.forEach((group, i) => {
    if (group.kind === 'bucket') {
      before.push(group.ms, group.ms);
      inner.push(`ts - ((ts % ?) + ?) % ? AS g${i}`);
      before.push(group.ms);
    } else {
      inner.push(`${fieldSql(group.field, before)} AS g${i}`);
    }
    groups.push(`g${i}`);
  });
  // The row count tells an ungrouped aggregate over no rows (one row from SQLite, none in the reference).
  const outer: string[] = ['count(*) AS rows_seen'];
  plan.functions.forEach((fn, i) => {
    switch (fn.fn) {
      case 'count':
        if (fn.field === null) outer.push(`count(*) AS f${i}`);
        else {
          inner.push(`${fieldSql(fn.field, before)} AS v${i}`);
          outer.push(`count(v${i}) AS f${i}`);
        }
        return;
      case 'count_distinct':
        inner.push(`${fieldSql(fn.field as AggField, before)} AS v${i}`);
        outer.push(`json_group_array(DISTINCT v${i}) FILTER (WHERE v${i} IS NOT NULL) AS f${i}`);
        return;
      case 'percentile':
        inner.push(`${numberSql(fn.field as AggField, before)} AS v${i}`);
        outer.push(`json_group_array(v${i}) FILTER (WHERE v${i} IS NOT NULL) AS f${i}`);
        return;
      case 'sum':
      case 'avg':
        inner.push(`${numberSql(fn.field as AggField, before)} AS v${i}`);
        outer.push(`total(v${i}) AS f${i}`, `count(v${i}) AS n${i}`);
        return;
      case 'min':
      case 'max':
        inner.push(`${numberSql(fn.field as AggField, before)} AS v${i}`);
        outer.push(`${fn.fn}(v${i}) AS f${i}`);
        return;
    }
  });
  const present = groups.map((g) => `${g} IS NOT NULL`);
  const after: Param[] = [plan.maxGroups + 1];
  const sql =
    `SELECT ${[...groups, ...outer].join(', ')} FROM (SELECT ${inner.length > 0 ? inner.join(', ') : '1 AS one'} ` +
    `FROM events WHERE {where})${present.length > 0 ? ` WHERE ${present.join(' AND ')}` : ''}` +
    `${groups.length > 0 ? ` GROUP BY ${groups.join(', ')}` : ''} LIMIT ?`;
  return { sql, before, after, read: (rows) => readRows(plan, rows) };
}

function keyValue(plan: AggregatePlan, i: number, value: unknown): string | number {
  const group = plan.by[i];
  if (group.kind === 'bucket') return Number(value);
  if (group.field.kind === 'level') return LEVELS[Number(value)];
  return String(value);
}

function readRows(plan: AggregatePlan, rows: ReadonlyArray<Record<string, unknown>>): AggregatePartial {
  if (rows.length > plan.maxGroups) throw tooManyGroups(plan);
  const partial: AggregatePartial = new Map();
  for (const row of rows) {
    if (Number(row.rows_seen) === 0) continue;
    const key: GroupKey = plan.by.map((_, i) => keyValue(plan, i, row[`g${i}`]));
    const states = plan.functions.map((fn, i) => stateOf(fn, row[`f${i}`], row[`n${i}`]));
    partial.set(JSON.stringify(key), { key, states });
  }
  return partial;
}

function stateOf(fn: AggFunction, f: unknown, n: unknown): AggState {
  switch (fn.fn) {
    case 'count':
      return { t: 'count', n: Number(f) };
    case 'sum':
    case 'avg':
      return { t: 'sum', sum: Number(f), n: Number(n) };
    case 'min':
    case 'max':
      return { t: fn.fn, v: f === null ? null : Number(f) };
    case 'count_distinct': {
      const values = JSON.parse(String(f ?? '[]')) as unknown[];
      const level = fn.field?.kind === 'level';
      return {
        t: 'distinct',
        values: new Set(values.map((v) => (level ? LEVELS[Number(v)] : String(v)))),
      };
    }
    case 'percentile':
      return { t: 'values', values: (JSON.parse(String(f ?? '[]')) as number[]).map(Number) };
  }
}

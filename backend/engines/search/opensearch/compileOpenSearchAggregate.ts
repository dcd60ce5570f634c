import type {
  AggField,
  AggFunction,
  AggregatePartial,
  AggregatePlan,
  AggState,
  GroupKey,
} from '../../../../core/query/aggregate/index.ts';
import { tooManyGroups } from '../../../../core/query/aggregate/index.ts';
import { attrKey, OPENSEARCH_FIELDS, type OpenSearchQuery } from './compileOpenSearch.ts';

/**
 * Compiles an aggregation plan to OpenSearch aggregations over the documents bulkDocuments.ts writes,
 * with the reference semantics of core/query/aggregate/accumulate.ts (property-tested in
 * test/integration/search/opensearchAggregate.test.ts):
 *
 * - groups nest one level per `by` key: `date_histogram` on `search.ts` (fixed, epoch-aligned
 *   intervals) for a bucket, `terms` on the keyword for a reserved field, and `terms` on
 *   `search.attr_text` restricted by `include` to this attribute's `key\0` terms for an attribute.
 *   Each `terms` asks for maxGroups + 1 buckets, so counts are exact (every term returned) and one
 *   more than the limit tells too_many_groups;
 * - numeric functions read the nested (name, number) pairs `search.attr_numbers`: `nested`, `filter`
 *   on the name, then `stats` / `percentiles` (t-digest: an estimate, see docs/query-language.md);
 * - count_distinct is `cardinality` on a reserved field (HyperLogLog++, exact in practice below its
 *   40,000 precision threshold) and, on an attribute, the number of its `terms` (exact, at most
 *   maxGroups of them).
 */
const PRECISION_THRESHOLD = 40_000;

function prefixOf(name: string): string {
  return `${attrKey(name)}\u0000`;
}

/** Lucene regexp matching exactly the terms that start with `prefix`: every character escaped. */
function prefixRegexp(prefix: string): string {
  let out = '';
  for (const char of prefix) out += /[\p{L}\p{N}]/u.test(char) ? char : `\\${char}`;
  return `${out}.*`;
}

function groupAgg(plan: AggregatePlan, i: number): OpenSearchQuery {
  const group = plan.by[i];
  if (group.kind === 'bucket')
    return {
      date_histogram: { field: OPENSEARCH_FIELDS.ts, fixed_interval: `${group.ms}ms`, min_doc_count: 1 },
    };
  const size = plan.top !== null ? plan.top : plan.maxGroups + 1;
  const terms: Record<string, unknown> = { size };
  if (plan.top !== null) {
    terms.order = [{ _count: 'desc' }, { _key: 'asc' }];
    terms.shard_size = Math.min(plan.maxGroups, Math.max(1000, plan.top * 20));
  }
  const field = group.field;
  if (field.kind === 'attr') {
    terms.field = OPENSEARCH_FIELDS.attrText;
    terms.include = prefixRegexp(prefixOf(field.name));
  } else {
    terms.field = field.kind === 'level' ? 'level' : field.field;
  }
  return { terms };
}

/** The attribute's numbers: nested pairs filtered to its name, with `aggs` over their values. */
function numbersOf(name: string, aggs: Record<string, OpenSearchQuery>): OpenSearchQuery {
  const path = OPENSEARCH_FIELDS.attrNumbers;
  return {
    nested: { path },
    aggs: { k: { filter: { term: { [`${path}.k`]: attrKey(name) } }, aggs } },
  };
}

function attrTerms(name: string, size: number): OpenSearchQuery {
  return { terms: { field: OPENSEARCH_FIELDS.attrText, include: prefixRegexp(prefixOf(name)), size } };
}

function presence(field: AggField): OpenSearchQuery {
  if (field.kind === 'attr') return { term: { [OPENSEARCH_FIELDS.attrKeys]: attrKey(field.name) } };
  return { exists: { field: field.kind === 'level' ? 'level' : field.field } };
}

function functionAggs(plan: AggregatePlan, fn: AggFunction, i: number): Record<string, OpenSearchQuery> {
  const field = fn.field;
  const value = `${OPENSEARCH_FIELDS.attrNumbers}.n`;
  switch (fn.fn) {
    case 'count':
      return field === null ? {} : { [`f${i}`]: { filter: presence(field) } };
    case 'count_distinct': {
      const f = field as AggField;
      if (f.kind === 'attr') return { [`f${i}`]: attrTerms(f.name, plan.maxGroups + 1) };
      const name = f.kind === 'level' ? 'level' : f.field;
      return { [`f${i}`]: { cardinality: { field: name, precision_threshold: PRECISION_THRESHOLD } } };
    }
    case 'percentile':
      return {
        [`f${i}`]: numbersOf((field as { name: string }).name, {
          s: { stats: { field: value } },
          p: { percentiles: { field: value, percents: [fn.percent], keyed: false } },
        }),
      };
    default:
      return { [`f${i}`]: numbersOf((field as { name: string }).name, { s: { stats: { field: value } } }) };
  }
}

/** The `aggs` of a `size: 0` search whose query is the filter; read the answer with readAggregations. */
export function aggregateAggs(plan: AggregatePlan): Record<string, OpenSearchQuery> {
  let inner: Record<string, OpenSearchQuery> = {};
  for (let i = 0; i < plan.functions.length; i++)
    Object.assign(inner, functionAggs(plan, plan.functions[i], i));
  for (let i = plan.by.length - 1; i >= 0; i--) {
    const agg: OpenSearchQuery = groupAgg(plan, i);
    if (Object.keys(inner).length > 0) agg.aggs = inner;
    inner = { [`g${i}`]: agg };
  }
  // One filter around everything: its doc_count tells an ungrouped aggregate over nothing.
  return { all: { filter: { match_all: {} }, ...(Object.keys(inner).length > 0 ? { aggs: inner } : {}) } };
}

interface Bucket {
  key: string | number;
  doc_count: number;
  [agg: string]: unknown;
}

export function readAggregations(
  plan: AggregatePlan,
  aggregations: Record<string, unknown> | undefined,
): AggregatePartial {
  const partial: AggregatePartial = new Map();
  const all = aggregations?.all as Bucket | undefined;
  if (all === undefined || all.doc_count === 0) return partial;
  const walk = (bucket: Bucket, depth: number, key: GroupKey) => {
    if (depth === plan.by.length) {
      if (partial.size >= plan.maxGroups) throw tooManyGroups(plan);
      partial.set(JSON.stringify(key), {
        key,
        states: plan.functions.map((fn, i) => stateOf(plan, fn, i, bucket)),
      });
      return;
    }
    const group = plan.by[depth];
    const buckets = ((bucket[`g${depth}`] as { buckets?: Bucket[] } | undefined)?.buckets ?? []).filter(
      (b) => b.doc_count > 0,
    );
    if (plan.top === null && group.kind === 'field' && buckets.length > plan.maxGroups)
      throw tooManyGroups(plan);
    for (const child of buckets) {
      let value: string | number;
      if (group.kind === 'bucket') value = Number(child.key);
      else if (group.field.kind === 'attr')
        value = String(child.key).slice(prefixOf(group.field.name).length);
      else value = String(child.key);
      walk(child, depth + 1, [...key, value]);
    }
  };
  walk(all, 0, []);
  return partial;
}

function stateOf(plan: AggregatePlan, fn: AggFunction, i: number, bucket: Bucket): AggState {
  const agg = bucket[`f${i}`] as Record<string, unknown> | undefined;
  switch (fn.fn) {
    case 'count':
      return {
        t: 'count',
        n: fn.field === null ? bucket.doc_count : Number((agg as { doc_count: number }).doc_count),
      };
    case 'count_distinct': {
      if (fn.field?.kind !== 'attr')
        return { t: 'distinct~', approx: Number((agg as { value: number }).value) };
      const buckets = (agg as { buckets: Array<{ key: string }> }).buckets;
      if (buckets.length > plan.maxGroups) throw tooManyGroups(plan);
      const skip = prefixOf(fn.field.name).length;
      return { t: 'distinct', values: new Set(buckets.map((b) => String(b.key).slice(skip))) };
    }
    case 'percentile': {
      const numbers = (agg as { k: Record<string, unknown> }).k;
      const n = Number((numbers.s as { count: number }).count);
      const value = (numbers.p as { values: Array<{ value: number | null }> }).values[0]?.value ?? null;
      return { t: 'values~', approx: n === 0 ? null : value, n };
    }
    default: {
      const stats = (
        agg as { k: { s: { count: number; sum: number; min: number | null; max: number | null } } }
      ).k.s;
      if (fn.fn === 'min' || fn.fn === 'max') return { t: fn.fn, v: stats.count === 0 ? null : stats[fn.fn] };
      return { t: 'sum', sum: stats.count === 0 ? 0 : stats.sum, n: stats.count };
    }
  }
}

import type { SearchCursor, SearchStore, TimeRange } from '../../../core/ports/searchStore.ts';
import type { QueryNode } from '../../../core/query/index.ts';
import { decidingBound } from '../rules/alertRule.ts';
import { type GroupField, type GroupValue, groupTerm, groupValue } from '../rules/groupFields.ts';

/**
 * How much one (rule, tenant) evaluation may ask of the search store. A rule without group_by costs
 * one count. A rule with group_by costs at most ⌈sampleEvents / pageSize⌉ fetches, plus, only when
 * the window holds more than `sampleEvents` events, one count per group (at most `maxGroups`).
 */
export interface CountLimits {
  /** Newest matching events read to find the groups and, when that is all of them, count them. */
  sampleEvents: number;
  pageSize: number;
  /** Groups evaluated per rule and tenant; the busiest are kept, alerts in progress always. */
  maxGroups: number;
  /** Counts are exact up to this many (and always far enough to decide the condition). */
  countBound: number;
}

export const DEFAULT_COUNT_LIMITS: CountLimits = {
  sampleEvents: 10_000,
  pageSize: 5_000,
  maxGroups: 100,
  countBound: 10_000,
};

/** A group as an alert knows it: its key and its values by field label. */
export interface KnownGroup {
  groupKey: string;
  group: Record<string, GroupValue>;
}

export interface GroupCount extends KnownGroup {
  count: number;
  /** False when the store stopped counting at the bound (the count is a lower bound). */
  exact: boolean;
}

export interface CountRequest {
  search: SearchStore;
  tenant: string;
  query: QueryNode;
  range: TimeRange;
  fields: GroupField[];
  threshold: number;
  /** Groups counted whether or not the sample holds them: alerts in progress, groups whose absence is watched. */
  known: KnownGroup[];
  limits: CountLimits;
}

export interface CountResult {
  groups: GroupCount[];
  /** Groups seen in the sample but over `maxGroups`, so not evaluated this time. */
  droppedGroups: number;
}

export const UNGROUPED_KEY = '[]';

export async function countGroups(request: CountRequest): Promise<CountResult> {
  if (request.fields.length === 0) {
    const { count, exact } = await countMatching(request, request.query);
    return { groups: [{ groupKey: UNGROUPED_KEY, group: {}, count, exact }], droppedGroups: 0 };
  }
  const sample = await sampleGroups(request);
  const chosen = chooseGroups(request.known, sample.tally, request.limits.maxGroups);
  if (sample.complete) {
    // Every matching event was read, so the tally is the exact count (and 0 for a group not seen).
    const groups = chosen.groups.map((g) => ({
      ...g,
      count: sample.tally.get(g.groupKey)?.count ?? 0,
      exact: true,
    }));
    return { groups, droppedGroups: chosen.dropped };
  }
  // The window holds more than the sample: the sample found the groups, the store counts each.
  const groups: GroupCount[] = [];
  for (const known of chosen.groups) {
    const terms = request.fields.map((field) => groupTerm(field, known.group[field.label] ?? null));
    groups.push({ ...known, ...(await countMatching(request, andAll([request.query, ...terms]))) });
  }
  return { groups, droppedGroups: chosen.dropped };
}

async function countMatching(
  request: CountRequest,
  query: QueryNode,
): Promise<{ count: number; exact: boolean }> {
  const bound = Math.max(request.limits.countBound, decidingBound(request.threshold));
  const page = await request.search.search({
    tenant: request.tenant,
    query,
    range: request.range,
    limit: 0,
    order: 'desc',
    totalBound: bound,
  });
  return { count: page.total.value, exact: page.total.relation === 'eq' };
}

interface Tallied extends KnownGroup {
  count: number;
}

async function sampleGroups(
  request: CountRequest,
): Promise<{ tally: Map<string, Tallied>; complete: boolean }> {
  const tally = new Map<string, Tallied>();
  const { sampleEvents, pageSize } = request.limits;
  let read = 0;
  let after: SearchCursor | undefined;
  while (read < sampleEvents) {
    const limit = Math.min(pageSize, sampleEvents - read);
    const page = await request.search.search({
      tenant: request.tenant,
      query: request.query,
      range: request.range,
      limit,
      order: 'desc',
      after,
      totalBound: limit, // the pages say whether more exist; counting beyond the page would be wasted work
    });
    for (const event of page.hits) {
      const values = request.fields.map((field) => groupValue(field, event));
      const groupKey = JSON.stringify(values);
      const seen = tally.get(groupKey);
      if (seen !== undefined) seen.count++;
      else tally.set(groupKey, { groupKey, group: groupRecord(request.fields, values), count: 1 });
    }
    read += page.hits.length;
    if (page.next === null) return { tally, complete: true };
    after = page.next;
  }
  return { tally, complete: false };
}

/** Known groups first (an alert in progress must get its resolution), then the busiest sampled ones. */
function chooseGroups(
  known: KnownGroup[],
  tally: Map<string, Tallied>,
  maxGroups: number,
): { groups: KnownGroup[]; dropped: number } {
  const chosen = new Map<string, KnownGroup>();
  for (const { groupKey, group } of known) chosen.set(groupKey, { groupKey, group });
  const busiest = [...tally.values()].sort((a, b) => b.count - a.count);
  let dropped = 0;
  for (const group of busiest) {
    if (chosen.has(group.groupKey)) continue;
    if (chosen.size >= maxGroups) dropped++;
    else chosen.set(group.groupKey, { groupKey: group.groupKey, group: group.group });
  }
  return { groups: [...chosen.values()], dropped };
}

export function groupRecord(fields: GroupField[], values: GroupValue[]): Record<string, GroupValue> {
  const group: Record<string, GroupValue> = {};
  fields.forEach((field, i) => {
    group[field.label] = values[i];
  });
  return group;
}

/** The query AND the terms, flattened and without `*`, so links read as people would write them. */
export function andAll(nodes: QueryNode[]): QueryNode {
  const children = nodes
    .flatMap((node) => (node.type === 'and' ? node.children : [node]))
    .filter((node) => node.type !== 'all');
  if (children.length === 0) return { type: 'all', start: 0, end: 0 };
  if (children.length === 1) return children[0];
  return { type: 'and', children, start: 0, end: 0 };
}

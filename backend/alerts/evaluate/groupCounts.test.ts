import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { parseQuery } from '../../../core/query/index.ts';
import { groupField } from '../rules/groupFields.ts';
import { logEvent, MINUTE, openStores, type Stores, T0 } from '../testing/alertFixtures.ts';
import { type CountLimits, countGroups, DEFAULT_COUNT_LIMITS } from './groupCounts.ts';

let stores: Stores | undefined;
afterEach(async () => {
  await stores?.cleanup();
  stores = undefined;
});

async function indexed() {
  stores = await openStores();
  const at = (s: number) => T0 - s * 1000;
  await stores.search.index([
    ...[10, 9, 8, 7, 6].map((s) => logEvent('t', at(s), { host: 'node-1' })),
    logEvent('t', at(5)), // no host
    logEvent('t', at(2), { host: 'node-2' }),
    logEvent('t', at(1), { host: 'node-1' }),
  ]);
  return stores;
}

async function count(
  s: Stores,
  limits: Partial<CountLimits>,
  known: Array<{ groupKey: string; group: Record<string, string | null> }> = [],
) {
  const result = await countGroups({
    search: s.search,
    tenant: 't',
    query: parseQuery(''),
    range: { from: T0 - MINUTE, to: T0 },
    fields: [groupField('host')],
    threshold: 3,
    known,
    limits: { ...DEFAULT_COUNT_LIMITS, ...limits },
  });
  const groups = Object.fromEntries(result.groups.map((g) => [g.groupKey, [g.count, g.exact]]));
  return { groups, dropped: result.droppedGroups };
}

describe('counting groups', () => {
  it('counts in memory when the sample holds every matching event', async () => {
    const s = await indexed();
    assert.deepEqual((await count(s, {})).groups, {
      '["node-1"]': [6, true],
      '["node-2"]': [1, true],
      '[null]': [1, true],
    });
  });

  it('asks the store for each group when the window holds more than the sample', async () => {
    const s = await indexed();
    // The two newest events show node-1 and node-2 only; the known group comes from an alert in progress.
    const known = [{ groupKey: '[null]', group: { host: null } }];
    const { groups } = await count(s, { sampleEvents: 2, pageSize: 1 }, known);
    assert.deepEqual(groups, { '[null]': [1, true], '["node-1"]': [6, true], '["node-2"]': [1, true] });
  });

  it('counts a known group the window no longer holds as 0', async () => {
    const s = await indexed();
    const known = [{ groupKey: '["node-9"]', group: { host: 'node-9' } }];
    assert.deepEqual((await count(s, {}, known)).groups['["node-9"]'], [0, true]);
  });

  it('evaluates the busiest groups up to the limit and reports the rest as dropped', async () => {
    const s = await indexed();
    const { groups, dropped } = await count(s, { maxGroups: 1 });
    assert.deepEqual(groups, { '["node-1"]': [6, true] });
    assert.equal(dropped, 2);
  });

  it('counts at least far enough to decide the condition, beyond a smaller bound', async () => {
    const s = await indexed();
    const { groups } = await count(s, { sampleEvents: 1, pageSize: 1, countBound: 2 });
    // threshold 3 needs counts up to 4 to tell > and >= apart; 6 events are reported as "at least 4".
    assert.deepEqual(groups['["node-1"]'], [4, false]);
  });
});

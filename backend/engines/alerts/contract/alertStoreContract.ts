import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AlertStore, StoredRule } from '../../../../core/ports/alertStore.ts';
import type { AlertInstance } from '../../../alerts/evaluate/alertInstance.ts';

/**
 * What every AlertStore adapter must do, run against each (SQLite in its unit test, PostgreSQL in
 * an integration test). `open` gives a fresh, initialized, empty store.
 */
export function runAlertStoreContract(
  name: string,
  open: () => Promise<{ store: AlertStore; cleanup: () => Promise<void> }>,
): void {
  describe(`alert store contract: ${name}`, () => {
    let store: AlertStore;
    let cleanup: () => Promise<void>;
    before(async () => {
      ({ store, cleanup } = await open());
    });
    after(async () => {
      await store.close();
      await cleanup();
    });

    it('keeps rules per tenant, one per name', async () => {
      assert.equal(await store.insertRule(rule('acme', 'errors')), true);
      assert.equal(await store.insertRule(rule('globex', 'errors', { threshold: 7 })), true);
      assert.equal(await store.insertRule(rule('acme', 'errors', { threshold: 99 })), false);
      assert.deepEqual(await store.getRule('acme', 'errors'), rule('acme', 'errors'));
      assert.equal((await store.getRule('globex', 'errors'))?.threshold, 7);
      assert.equal(await store.getRule('initech', 'errors'), null);
    });

    it('lists one tenant’s rules, or every tenant’s, in order', async () => {
      await store.insertRule(rule('acme', 'a-first'));
      const names = (rules: StoredRule[]) => rules.map((r) => `${r.tenant}/${r.name}`);
      assert.deepEqual(names(await store.listRules('acme')), ['acme/a-first', 'acme/errors']);
      assert.deepEqual(names(await store.listRules(null)), ['acme/a-first', 'acme/errors', 'globex/errors']);
    });

    it('replaces and deletes only existing rules', async () => {
      const changed = rule('acme', 'errors', { groupBy: ['service'], notify: ['oncall'], forMs: 30_000 });
      assert.equal(await store.replaceRule(changed), true);
      assert.deepEqual(await store.getRule('acme', 'errors'), changed);
      assert.equal(await store.replaceRule(rule('acme', 'missing')), false);
      assert.equal(await store.deleteRule('acme', 'a-first'), true);
      assert.equal(await store.deleteRule('acme', 'a-first'), false);
      assert.equal(await store.getRule('acme', 'a-first'), null);
    });

    it('saves alert states: upserts and removals in one call', async () => {
      const firing = alert('acme', 'errors', '["checkout"]', 'firing');
      const pending = alert('globex', 'errors', '[]', 'pending');
      await store.saveAlerts({ upsert: [firing, pending], remove: [] });
      assert.deepEqual(await store.listAlerts('acme'), [firing]);
      const updated = { ...firing, count: 50, countExact: false };
      await store.saveAlerts({ upsert: [updated], remove: [pending] });
      assert.deepEqual(await store.listAlerts(null), [updated]);
    });

    it('keeps each rule’s last evaluation and silence apart, and forgets them with the rule', async () => {
      await store.recordEvaluations([
        { tenant: 'acme', rule: 'errors', at: 5_000, count: 3, error: null },
        { tenant: 'acme', rule: 'from-file', at: 5_000, count: null, error: 'store away' },
      ]);
      await store.setSilence('acme', 'errors', 90_000);
      await store.recordEvaluations([{ tenant: 'acme', rule: 'errors', at: 6_000, count: 4, error: null }]);
      await store.setSilence('globex', 'errors', 70_000);
      await store.setSilence('globex', 'errors', null);
      assert.deepEqual(await store.listRuleStatus('acme'), [
        {
          tenant: 'acme',
          rule: 'errors',
          lastEvaluation: { at: 6_000, count: 4, error: null },
          silencedUntil: 90_000,
        },
        {
          tenant: 'acme',
          rule: 'from-file',
          lastEvaluation: { at: 5_000, count: null, error: 'store away' },
          silencedUntil: null,
        },
      ]);
      assert.deepEqual(
        await store.listRuleStatus(null).then((all) => all.map((s) => `${s.tenant}/${s.rule}`)),
        ['acme/errors', 'acme/from-file', 'globex/errors'],
      );
      await store.insertRule(rule('acme', 'gone'));
      await store.setSilence('acme', 'gone', 90_000);
      await store.deleteRule('acme', 'gone');
      assert.equal(
        (await store.listRuleStatus('acme')).some((s) => s.rule === 'gone'),
        false,
      );
    });

    it('keeps an alert removed and written again in the same call', async () => {
      const again = alert('acme', 'errors', '["checkout"]', 'pending');
      await store.saveAlerts({ upsert: [again], remove: [again] });
      assert.deepEqual(await store.listAlerts('acme'), [again]);
    });
  });
}

function rule(tenant: string, name: string, changes: Partial<StoredRule> = {}): StoredRule {
  return {
    name,
    tenant,
    source: 'api',
    query: 'level>=error',
    windowMs: 300_000,
    op: '>',
    threshold: 10,
    forMs: 0,
    groupBy: [],
    severity: 'warning',
    notify: null,
    ...changes,
  };
}

function alert(tenant: string, rule: string, groupKey: string, state: AlertInstance['state']): AlertInstance {
  const group: AlertInstance['group'] =
    groupKey === '[]' ? {} : { service: JSON.parse(groupKey)[0] as string };
  return {
    rule,
    tenant,
    groupKey,
    group,
    state,
    activeSince: 1_000,
    since: 2_000,
    count: 12,
    countExact: true,
    evaluatedAt: 3_000,
  };
}

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LeaseStore } from '../../../../core/ports/leaseStore.ts';

/**
 * What every LeaseStore adapter must do, run against each (SQLite in its unit test, PostgreSQL in an
 * integration test). `open` gives a way to open initialized stores on one fresh, empty place: each call
 * a store of its own, as separate processes would have.
 */
export function runLeaseStoreContract(
  name: string,
  open: () => Promise<{ connect: () => Promise<LeaseStore>; cleanup: () => Promise<void> }>,
): void {
  describe(`lease store contract: ${name}`, () => {
    let a: LeaseStore;
    let b: LeaseStore;
    let connect: () => Promise<LeaseStore>;
    let cleanup: () => Promise<void>;
    const extra: LeaseStore[] = [];
    before(async () => {
      ({ connect, cleanup } = await open());
      a = await connect();
      b = await connect();
    });
    after(async () => {
      for (const store of [a, b, ...extra]) await store.close();
      await cleanup();
    });

    it('gives a free lease to the first holder and refuses it to another until it expires', async () => {
      assert.equal(await a.acquire('retention', 'holder-a', 60_000), true);
      assert.equal(await b.acquire('retention', 'holder-b', 60_000), false);
      const held = await b.holder('retention');
      assert.equal(held?.holder, 'holder-a');
      assert.ok(held !== null && held.expiresAt > Date.now() + 50_000);
    });

    it('renews for its holder, from the time of the renewal', async () => {
      assert.equal(await a.acquire('renewed', 'holder-a', 60_000), true);
      const first = (await a.holder('renewed'))?.expiresAt ?? 0;
      assert.equal(await a.acquire('renewed', 'holder-a', 120_000), true);
      const renewed = (await a.holder('renewed'))?.expiresAt ?? 0;
      assert.ok(renewed >= first + 55_000, `expiry moved from ${first} to ${renewed}`);
      assert.equal(await b.acquire('renewed', 'holder-b', 60_000), false);
      assert.equal((await b.holder('renewed'))?.holder, 'holder-a');
    });

    it('lets another holder take an expired lease', async () => {
      assert.equal(await a.acquire('expiring', 'holder-a', 200), true);
      await sleep(300);
      assert.equal(await b.holder('expiring'), null);
      assert.equal(await b.acquire('expiring', 'holder-b', 60_000), true);
      assert.equal(await a.acquire('expiring', 'holder-a', 60_000), false, 'the old holder lost it');
    });

    it('frees the lease at once when its holder releases it, and only then', async () => {
      assert.equal(await a.acquire('released', 'holder-a', 60_000), true);
      await b.release('released', 'holder-b'); // not b's to give back
      assert.equal(await b.acquire('released', 'holder-b', 60_000), false);
      await a.release('released', 'holder-a');
      assert.equal(await a.holder('released'), null);
      assert.equal(await b.acquire('released', 'holder-b', 60_000), true);
    });

    it('keeps leases of different names apart', async () => {
      assert.equal(await a.acquire('alerts', 'holder-a', 60_000), true);
      assert.equal(await b.acquire('other', 'holder-b', 60_000), true);
    });

    it('gives a lease to exactly one of many holders asking at once', async () => {
      const stores = await Promise.all(Array.from({ length: 6 }, () => connect()));
      extra.push(...stores);
      const results = await Promise.all(stores.map((s, i) => s.acquire('contended', `holder-${i}`, 60_000)));
      assert.equal(results.filter(Boolean).length, 1, `granted: ${results}`);
      const winner = results.indexOf(true);
      assert.equal((await a.holder('contended'))?.holder, `holder-${winner}`);
    });
  });
}

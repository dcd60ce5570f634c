import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { createLogger, silentLogger } from '../../core/log/logger.ts';
import { MetricsRegistry } from '../../core/metrics/registry.ts';
import type { LeaseStore } from '../../core/ports/leaseStore.ts';
import { waitFor } from '../../test/helpers/waitFor.ts';
import { openSqliteLeaseStore } from '../engines/lease/sqlite/sqliteLeaseStore.ts';
import type { RoleHandle } from '../server/context.ts';
import { startSingletonRole } from './singletonRole.ts';

/** For the expiry case: a lease that runs out quickly, so the test waits for it little. */
const SHORT_LEASE_MS = 300;
/**
 * Everywhere else: renewed every second, stopped 0.5 s before it could expire, so a loaded machine (event
 * loop stalls of a few hundred ms) does not lose the lease between two renewals.
 */
const LEASE_MS = 3000;

/** One process's view of a singleton role: whether its work runs now, how often it started, and why it stopped. */
function contender(dir: string, holder: string, leases?: LeaseStore, durationMs = LEASE_MS) {
  const state = {
    running: false,
    starts: 0,
    stoppedAt: 0,
    asked: 0,
    registry: new MetricsRegistry(),
    logged: [] as string[],
  };
  const store = leases ?? openSqliteLeaseStore(join(dir, 'leases.db'));
  const counting: LeaseStore = {
    ...store,
    acquire(...args) {
      state.asked++;
      return store.acquire(...args);
    },
  };
  const handle = startSingletonRole(
    {
      log: createLogger({ write: (line) => state.logged.push(JSON.parse(line).message) }),
      registry: state.registry,
    },
    {
      role: 'retention',
      leases: counting,
      durationMs,
      holder,
      start: async () => {
        state.running = true;
        state.starts++;
        return {
          stop: async () => {
            state.running = false;
            state.stoppedAt = performance.now();
          },
        };
      },
    },
  );
  return { ...state, handle, get: () => state };
}

describe('singleton role on a SQLite lease', () => {
  let dir: string;
  const handles: RoleHandle[] = [];
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sluice-singleton-'));
    const init = openSqliteLeaseStore(join(dir, 'leases.db'));
    await init.init();
    await init.close();
  });
  afterEach(async () => {
    for (const h of handles.splice(0)) await h.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('runs in one of two processes, and the other takes over at once when the holder stops', async () => {
    const a = contender(dir, 'a');
    handles.push(a.handle);
    await waitFor('a to run', () => a.get().running);
    const b = contender(dir, 'b');
    handles.push(b.handle);
    // Several renewal rounds: b keeps asking, a keeps renewing.
    await waitFor('b to ask three times', () => b.get().asked >= 3 && a.get().asked >= 3);
    assert.equal(b.get().running, false);
    assert.equal(a.get().starts, 1, 'renewals do not restart the work');
    assert.match(await a.get().registry.render(), /^sluice_retention_lease_held 1$/m);
    assert.match(await b.get().registry.render(), /^sluice_retention_lease_held 0$/m);

    await a.handle.stop();
    handles.splice(handles.indexOf(a.handle), 1);
    assert.equal(a.get().running, false);
    // Given back, not left to expire: b takes it at its next ask.
    const after = await openSqliteLeaseStore(join(dir, 'leases.db'));
    assert.notEqual((await after.holder('retention'))?.holder, 'a');
    await after.close();
    await waitFor('b to take over', () => b.get().running);
  });

  it('stands by while another holder’s lease runs, and takes it over once it expires', async () => {
    const dead = openSqliteLeaseStore(join(dir, 'leases.db'));
    // Before asking: the lease runs from when the store got the request, not earlier.
    const takenAt = performance.now();
    assert.equal(await dead.acquire('retention', 'killed-process', SHORT_LEASE_MS), true);
    await dead.close();
    const b = contender(dir, 'b', undefined, SHORT_LEASE_MS);
    handles.push(b.handle);
    await waitFor('b to take over', () => b.get().running);
    const waited = performance.now() - takenAt;
    assert.ok(waited >= SHORT_LEASE_MS - 20, `took over after ${waited} ms, before the lease expired`);
  });

  it('stops working as soon as another process holds the lease', async () => {
    const a = contender(dir, 'a');
    handles.push(a.handle);
    await waitFor('a to run', () => a.get().running);
    // Another holder in the table (a's lease expired while it was paused, say, and someone took it).
    const db = new DatabaseSync(join(dir, 'leases.db'));
    db.prepare("UPDATE leases SET holder = 'intruder', expires_at = ? WHERE name = 'retention'").run(
      Date.now() + 60_000,
    );
    db.close();
    await waitFor('a to stop', () => !a.get().running);
    // At its next ask, not when its own lease would have run out.
    assert.ok(
      a.get().logged.includes('another process took the lease; stopped here'),
      a.get().logged.join('\n'),
    );
  });

  it('stops working before its lease can expire when the store cannot be reached to renew it', async () => {
    const real = openSqliteLeaseStore(join(dir, 'leases.db'));
    let reachable = true;
    let lastGranted = 0;
    const flaky: LeaseStore = {
      ...real,
      async acquire(name, holder, ttl) {
        if (!reachable) throw new Error('connection refused');
        const asked = performance.now();
        const granted = await real.acquire(name, holder, ttl);
        if (granted) lastGranted = asked;
        return granted;
      },
    };
    const a = contender(dir, 'a', flaky);
    handles.push(a.handle);
    await waitFor('a to run', () => a.get().running);
    reachable = false;
    await waitFor('a to stop', () => !a.get().running);
    const stoppedAfter = a.get().stoppedAt - lastGranted;
    assert.ok(
      stoppedAfter < LEASE_MS,
      `stopped ${stoppedAfter} ms after the last renewal: the lease had expired`,
    );
    reachable = true;
    await waitFor('a to run again', () => a.get().running);
    assert.equal(a.get().starts, 2);
  });

  it('gives the lease back and retries when the work cannot start', async () => {
    const store = openSqliteLeaseStore(join(dir, 'leases.db'));
    let attempts = 0;
    const handle = startSingletonRole(
      { log: silentLogger, registry: new MetricsRegistry() },
      {
        role: 'alerts',
        leases: store,
        durationMs: LEASE_MS,
        holder: 'a',
        start: async () => {
          attempts++;
          if (attempts === 1) throw new Error('alert store unreachable');
          return { stop: async () => undefined };
        },
      },
    );
    handles.push(handle);
    await waitFor('a second start', () => attempts === 2);
  });
});

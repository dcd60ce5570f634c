/**
 * The singleton roles (retention, alerts) started in several real processes against the deploy/local
 * PostgreSQL (metric store, alert store and leases): one process at a time evaluates and purges, a
 * process killed with SIGKILL is replaced by another once its leases expire, without notifying an alert
 * twice, and one stopped gracefully gives its leases back at once.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { receiver } from '../../../backend/alerts/testing/alertFixtures.ts';
import { engineSettings, type Isolation, isolate, requireEngines } from '../../helpers/engines.ts';
import { waitFor } from '../../helpers/waitFor.ts';
import { type SluiceProcess, startSluice } from '../pipeline/harness/sluiceProcess.ts';

const LEASE_MS = 4000;
const ROLES = ['retention', 'alerts'] as const;

describe('singleton roles in several processes', () => {
  let dir: string;
  let iso: Isolation;
  let hook: Awaited<ReturnType<typeof receiver>>;
  const processes: SluiceProcess[] = [];

  /** A process with its own embedded bus (the singletons never touch it) and the shared stores. */
  async function start(name: string): Promise<SluiceProcess> {
    const configFile = join(dir, `${name}.yaml`);
    const config = {
      listen: { metrics: '127.0.0.1:0' },
      bus: { kind: 'embedded', dir: join(dir, `${name}-bus`), partitions: 1 },
      search: { kind: 'sqlite', path: join(dir, 'search') },
      metrics: { kind: 'postgres', url: engineSettings().pgUrl, schema: iso.pgSchema },
      archive: { kind: 'local', dir: join(dir, 'archive') },
      leases: { duration: `${LEASE_MS}ms` },
      alerts: {
        evaluate_every: '1s',
        notify: [{ kind: 'webhook', name: 'oncall', url: hook.url }],
        // Holds at every evaluation (0 events >= 0), so it fires once and stays firing.
        rules: [{ name: 'always', query: '', window: '1m', op: '>=', threshold: 0 }],
      },
    };
    await writeFile(configFile, stringify(config));
    const proc = await startSluice({ name, configFile, roles: ROLES, dir });
    processes.push(proc);
    return proc;
  }

  const holds = async (proc: SluiceProcess, role: string) =>
    (await proc.metric(`sluice_${role}_lease_held`)) === 1;
  const holdsAll = async (proc: SluiceProcess) =>
    (await holds(proc, 'retention')) && (await holds(proc, 'alerts'));
  const evaluations = (proc: SluiceProcess) => proc.metric('sluice_alerts_evaluations_total');
  const retentionRan = async (proc: SluiceProcess) =>
    (await proc.metric('sluice_retention_last_run_timestamp_seconds')) > 0;
  async function leaseHolder(role: string): Promise<string | null> {
    const sql = await iso.sql();
    const [row] = await sql`SELECT holder FROM leases WHERE name = ${role} AND expires_at > now()`;
    return row === undefined ? null : (row.holder as string);
  }
  /** waitFor, with the processes' last log lines in the failure. */
  async function until(what: string, condition: () => Promise<boolean>, timeoutMs: number) {
    const context = () => processes.map((p) => p.logTail(15)).join('\n');
    await waitFor(what, condition, { timeoutMs, intervalMs: 100, context });
  }
  const firings = () => hook.received.filter((r) => (r.body as { state: string }).state === 'firing').length;

  before(async () => {
    await requireEngines('postgres');
    dir = await mkdtemp(join(tmpdir(), 'sluice-singletons-'));
    iso = isolate('singleton-roles', ['postgres']);
    hook = await receiver();
  });

  after(async () => {
    for (const proc of processes) await proc.stop();
    await hook?.close();
    await iso?.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  it('runs retention and evaluation in one process, which another replaces when it is killed or stopped', async () => {
    const a = await start('a');
    await until('a to hold both leases', () => holdsAll(a), 30_000);
    const b = await start('b');
    await until(
      'a to evaluate and notify',
      async () => (await evaluations(a)) >= 2 && firings() === 1,
      30_000,
    );

    // Several lease periods: b keeps asking and keeps standing by while a renews.
    await new Promise((r) => setTimeout(r, LEASE_MS * 1.5));
    assert.ok(await retentionRan(a), 'a ran retention');
    assert.equal(await holds(b, 'alerts'), false);
    assert.equal(await holds(b, 'retention'), false);
    assert.equal(await evaluations(b), 0, 'b never evaluated');
    assert.equal(await retentionRan(b), false, 'b never ran retention');
    for (const role of ROLES) assert.match((await leaseHolder(role)) ?? '', new RegExp(`/${a.pid}/`));
    assert.equal(firings(), 1, 'one notification, not one per process');

    // SIGKILL: a gives nothing back; b takes over once a's leases expire.
    await a.kill9();
    await until('b to take both leases over', () => holdsAll(b), 60_000);
    const before = await evaluations(b);
    await until('b to evaluate', async () => (await evaluations(b)) >= before + 2, 20_000);
    await until('b to run retention', () => retentionRan(b), 20_000);
    for (const role of ROLES) assert.match((await leaseHolder(role)) ?? '', new RegExp(`/${b.pid}/`));
    assert.equal(firings(), 1, 'b continued from the stored alert state instead of firing again');

    // SIGTERM: b stops its work and gives its leases back, so c need not wait for them to expire.
    const c = await start('c');
    await new Promise((r) => setTimeout(r, LEASE_MS / 2));
    assert.equal(await holds(c, 'alerts'), false);
    await b.stop();
    for (const role of ROLES) {
      const holder = await leaseHolder(role);
      assert.ok(holder === null || holder.includes(`/${c.pid}/`), `${role} still held by ${holder}`);
    }
    await until('c to take both leases over', () => holdsAll(c), 60_000);
    assert.equal(firings(), 1);
  });
});

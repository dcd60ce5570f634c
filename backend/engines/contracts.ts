/**
 * Test-only: runs the contract suite of a descriptor's port against it, once per fixture the adapter
 * offers. Each fixture's config goes through the descriptor's schema and `open`, exactly as sluice.yaml
 * does, so the suite proves the adapter as the runtime opens it. registry.test.ts calls this for the
 * embedded adapters, test/integration/engines/registry.test.ts for those that need a server.
 */
import * as v from 'valibot';
import { silentLogger } from '../../core/log/logger.ts';
import { runAlertStoreContract } from './alerts/contract/alertStoreContract.ts';
import { runArchiveContract } from './archive/contract/archiveContract.ts';
import { runBusContract } from './bus/contract/busContract.ts';
import type {
  AlertsDescriptor,
  ArchiveDescriptor,
  BusDescriptor,
  ContractFixture,
  EngineDescriptor,
  LeasesDescriptor,
  MetricsDescriptor,
  SearchDescriptor,
} from './descriptor.ts';
import { runLeaseStoreContract } from './lease/contract/leaseStoreContract.ts';
import { runMetricStoreContract } from './metrics/contract/metricStoreContract.ts';
import { runSearchStoreContract } from './search/contract/searchStoreContract.ts';

const deps = { log: silentLogger };

/** The fixture, with its config parsed (defaults applied) by the adapter's own schema. */
async function fixtureOf<F extends ContractFixture>(descriptor: EngineDescriptor, make: () => Promise<F>) {
  const fixture = await make();
  return { fixture, config: v.parse(descriptor.schema, fixture.config) };
}

/** Registers the port's contract suite once per fixture the adapter offers. */
export async function runContractOf(descriptor: EngineDescriptor): Promise<void> {
  const named = (label: string) => `${descriptor.port}/${descriptor.kind} (${label})`;
  switch (descriptor.port) {
    case 'bus': {
      const bus = descriptor as BusDescriptor;
      for (const [label, make] of Object.entries(await bus.contract.fixtures()))
        runBusContract(named(label), async () => {
          const { fixture, config } = await fixtureOf(bus, make);
          const opened = await bus.open(config, deps);
          const prefix = bus.topicPrefix(config);
          return {
            bus: opened,
            topic: (suffix) => `${prefix}contract.${suffix}`,
            cleanup: async () => {
              await opened.close();
              await fixture.cleanup();
            },
          };
        });
      return;
    }
    case 'search': {
      const search = descriptor as SearchDescriptor;
      for (const [label, make] of Object.entries(await search.contract.fixtures()))
        runSearchStoreContract(named(label), async () => {
          const { fixture, config } = await fixtureOf(search, make);
          const store = await search.open(config, deps);
          return { store, settle: async () => fixture.settle?.(store), cleanup: () => fixture.cleanup() };
        });
      return;
    }
    case 'metrics': {
      const metrics = descriptor as MetricsDescriptor;
      for (const [label, make] of Object.entries(await metrics.contract.fixtures()))
        runMetricStoreContract(named(label), async () => {
          const { fixture, config } = await fixtureOf(metrics, make);
          return { store: await metrics.open(config, deps), cleanup: () => fixture.cleanup() };
        });
      return;
    }
    case 'archive': {
      const archive = descriptor as ArchiveDescriptor;
      for (const [label, make] of Object.entries(await archive.contract.fixtures()))
        runArchiveContract(named(label), async (tuning) => {
          const { fixture, config } = await fixtureOf(archive, make);
          return { ...fixture, archive: archive.open(config, { ...deps, tuning }) };
        });
      return;
    }
    case 'alerts': {
      const alerts = descriptor as AlertsDescriptor;
      for (const [label, make] of Object.entries(await alerts.contract.fixtures()))
        runAlertStoreContract(named(label), async () => {
          const { fixture, config } = await fixtureOf(alerts, make);
          return { store: await alerts.open(config, deps), cleanup: () => fixture.cleanup() };
        });
      return;
    }
    case 'leases': {
      const leases = descriptor as LeasesDescriptor;
      for (const [label, make] of Object.entries(await leases.contract.fixtures()))
        runLeaseStoreContract(named(label), async () => {
          const { fixture, config } = await fixtureOf(leases, make);
          return { connect: async () => await leases.open(config, deps), cleanup: () => fixture.cleanup() };
        });
      return;
    }
  }
}

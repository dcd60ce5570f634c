import type * as v from 'valibot';
import type { Logger } from '../../core/log/logger.ts';
import type { AlertStore } from '../../core/ports/alertStore.ts';
import type { Bus } from '../../core/ports/bus.ts';
import type { LeaseStore } from '../../core/ports/leaseStore.ts';
import type { MetricStore } from '../../core/ports/metricStore.ts';
import type { SearchStore } from '../../core/ports/searchStore.ts';
import type { CheckResult } from '../checks/result.ts';
import type { ArchiveOptions, ParquetArchive } from '../sinks/archive/archive.ts';

/** The ports an engine adapter can implement; each is one config section of sluice.yaml (alerts, leases: see below). */
export type PortName = 'bus' | 'search' | 'metrics' | 'archive' | 'alerts' | 'leases';

/** The config variant of one adapter: a strict object whose `kind` literal names the adapter. */
export type KindSchema = v.StrictObjectSchema<v.ObjectEntries, undefined>;

export interface EngineDeps {
  log: Logger;
}

/** Whether the contract suite runs in the unit tests or needs a server from deploy/local (test/integration/). */
export type ContractNeeds = 'embedded' | 'server';

/** A fresh, isolated instance for one contract run: its config (input, parsed by `schema`) and its teardown. */
export interface ContractFixture {
  config: Record<string, unknown>;
  cleanup(): Promise<void>;
}

/**
 * How the port's shared contract suite is run against this adapter. `fixtures` is test-only code, so the
 * descriptor loads it lazily (`() => import('./contract.testkit.ts')`) and production never loads node:test.
 * Several named fixtures run the suite several times (say once per fsync mode).
 */
export interface Contract<Fixture extends ContractFixture = ContractFixture> {
  needs: ContractNeeds;
  fixtures(): Promise<Record<string, () => Promise<Fixture>>>;
}

/**
 * One engine adapter, as the registry (registry.ts) knows it: which port it implements, the `kind` that
 * selects it in sluice.yaml, its config schema (a `v.description` on every key: docs/configuration.md is
 * generated from it), how to open it, how `--check-config` checks it, and how its contract suite runs.
 */
export interface EngineDescriptor<
  Schema extends KindSchema = KindSchema,
  Port = unknown,
  Deps extends EngineDeps = EngineDeps,
  Fixture extends ContractFixture = ContractFixture,
> {
  port: PortName;
  kind: string;
  schema: Schema;
  /** Opens the adapter and makes it ready for use (tables, templates, topics created as needed). */
  open(config: v.InferOutput<Schema>, deps: Deps): Port | Promise<Port>;
  /** `--check-config` (check.ts): reachability and permissions, changing nothing; a failure is `ok: false`. */
  check(config: v.InferOutput<Schema>, deps: EngineDeps): Promise<CheckResult>;
  /** Loads what check() needs (a client library loaded only when configured), before its time bound starts. */
  prepareCheck?(config: v.InferOutput<Schema>): Promise<unknown>;
  /** `/readyz`: a cheap probe of a store in use; absent for the bus, whose readiness the open bus answers. */
  probe?(config: v.InferOutput<Schema>): Promise<CheckResult>;
  contract: Contract<Fixture>;
}

// --- one descriptor type per port: what the runtime and the contract runs need beyond the common part ---

export interface BusDescriptor<S extends KindSchema = KindSchema> extends EngineDescriptor<S, Bus> {
  port: 'bus';
  /** Put before the topic names (`<prefix>logs.raw`), so several deployments can share one cluster. */
  topicPrefix(config: v.InferOutput<S>): string;
}

export interface SearchFixture extends ContractFixture {
  /** Makes everything indexed so far searchable (OpenSearch: refresh); absent when writes are visible at once. */
  settle?(store: SearchStore): Promise<void>;
}

export interface SearchDescriptor<S extends KindSchema = KindSchema>
  extends EngineDescriptor<S, SearchStore, EngineDeps, SearchFixture> {
  port: 'search';
}

export interface MetricsDescriptor<S extends KindSchema = KindSchema>
  extends EngineDescriptor<S, MetricStore> {
  port: 'metrics';
}

/** Tuning of the shared Parquet layer (row groups, ranged reads); defaults in production, small in tests. */
export interface ArchiveDeps extends EngineDeps {
  tuning?: ArchiveOptions;
}

/** What the archive contract checks beneath the archive, in the engine's own terms. */
export interface ArchiveFixture extends ContractFixture {
  /** Keys of every complete object in the store, bypassing the archive. */
  rawKeys(): Promise<string[]>;
  /** An object's bytes, bypassing the archive. */
  rawGet(key: string): Promise<Uint8Array | undefined>;
  /** Leaves behind what a write of `key` interrupted half-way leaves (temporary file, unfinished upload). */
  leavePartialWrite(key: string, bytes: Uint8Array): Promise<void>;
}

export interface ArchiveDescriptor<S extends KindSchema = KindSchema>
  extends EngineDescriptor<S, ParquetArchive, ArchiveDeps, ArchiveFixture> {
  port: 'archive';
  /** Synchronous: opening an archive does no I/O (the directory or bucket is first touched by a write or a list). */
  open(config: v.InferOutput<S>, deps: ArchiveDeps): ParquetArchive;
}

/**
 * The alert store has no section of its own in sluice.yaml: it lives in the metrics store's database
 * (alertStoreConfig in backend/alerts/store/openAlertStore.ts derives its config), so its `kind` is the
 * metrics kind and its schema describes that derived config.
 */
export interface AlertsDescriptor<S extends KindSchema = KindSchema> extends EngineDescriptor<S, AlertStore> {
  port: 'alerts';
}

/** The lease store (singleton roles), like the alert store, lives in the metrics store's database. */
export interface LeasesDescriptor<S extends KindSchema = KindSchema> extends EngineDescriptor<S, LeaseStore> {
  port: 'leases';
}

/** The config `descriptor` takes, as parsed from sluice.yaml. */
export type ConfigOf<D extends { schema: KindSchema }> = v.InferOutput<D['schema']>;

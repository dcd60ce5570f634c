import type { Hono } from 'hono';
import type { Logger } from '../../core/log/logger.ts';
import type { MetricsRegistry } from '../../core/metrics/registry.ts';
import type { Bus } from '../../core/ports/bus.ts';
import type { MetricStore } from '../../core/ports/metricStore.ts';
import type { SearchStore } from '../../core/ports/searchStore.ts';
import type { CheckResult } from '../checks/result.ts';
import type { ServerConfig } from '../config/schema.ts';
import type { Topics } from '../runtime/topics.ts';
import type { ParquetArchive } from '../sinks/archive/archive.ts';

/** What every role of a Sluice server process is started with. */
export interface ServerContext {
  config: ServerConfig;
  bus: Bus;
  topics: Topics;
  log: Logger;
  /** The process's metrics; each role registers its own under `sluice_<role>_…`. */
  registry: MetricsRegistry;
  /**
   * The stores, opened on first use and shared by the roles of this process (the indexer writes the same
   * SQLite files the query role reads), closed once when the server stops.
   */
  stores: {
    search(): Promise<SearchStore>;
    metrics(): Promise<MetricStore>;
    archive(): ParquetArchive;
  };
}

/** A running role: HTTP routes to mount (if any) and how to stop it gracefully. */
export interface RoleHandle {
  name: string;
  /** Adds the role's routes to the process's HTTP app. */
  mount?(app: Hono): void;
  /** True when its routes include /healthz, /readyz and /metrics (the gateway's do). */
  ownsHealth?: boolean;
  /** What /readyz checks besides the bus and the stores (the gateway's own listeners). */
  probes?: Array<{ component: string; kind: string; probe: () => Promise<CheckResult> }>;
  /** Stops taking work, finishes what is in flight, commits, releases resources. */
  stop(): Promise<void>;
}

import type { Logger } from '../../core/log/logger.ts';
import type { MetricsRegistry } from '../../core/metrics/registry.ts';
import type { Archive } from '../../core/ports/archive.ts';
import type { MetricStore } from '../../core/ports/metricStore.ts';
import type { SearchStore } from '../../core/ports/searchStore.ts';
import type { ServerConfig } from '../config/schema.ts';
import { type DropStep, retentionPlan } from './plan.ts';

export interface RetentionTargets {
  search?: SearchStore;
  metrics?: MetricStore;
  archive?: Archive | null;
}

export interface RetentionRun {
  dryRun: boolean;
  steps: Array<DropStep & { dropped: string[]; error?: string }>;
}

/**
 * Enforces `retention:` on each store by dropping whole units (day indices or tables, partitions, archive
 * objects), never purging big tables row by row. Every action is logged and counted; a dry run lists what
 * would go and removes nothing. One store failing does not stop the others.
 */
export function createRetentionJob(
  retention: ServerConfig['retention'],
  targets: RetentionTargets,
  deps: { log: Logger; registry: MetricsRegistry; now?: () => number },
) {
  const log = deps.log.child({ component: 'retention' });
  const dropped = deps.registry.counter('sluice_retention_dropped_total', 'Units dropped by retention.', [
    'store',
  ]);
  const failures = deps.registry.counter('sluice_retention_failures_total', 'Retention steps that failed.', [
    'store',
  ]);
  const lastRun = deps.registry.gauge(
    'sluice_retention_last_run_timestamp_seconds',
    'When retention last ran.',
  );

  async function run(dryRun = false): Promise<RetentionRun> {
    const now = (deps.now ?? Date.now)();
    const result: RetentionRun = { dryRun, steps: [] };
    for (const step of retentionPlan(retention, now)) {
      const options = { tenant: step.tenant, exceptTenants: step.exceptTenants, dryRun };
      try {
        let units: string[] = [];
        if (step.store === 'search' && targets.search)
          units = await targets.search.dropBefore(step.before, options);
        if (step.store === 'archive' && targets.archive)
          units = await targets.archive.dropBefore(step.before, options);
        if (step.store === 'metrics' && targets.metrics)
          units = await targets.metrics.dropBefore(step.before, { dryRun });
        result.steps.push({ ...step, dropped: units });
        if (units.length > 0) {
          if (!dryRun) dropped.inc({ store: step.store }, units.length);
          log.info(dryRun ? 'retention would drop' : 'retention dropped', {
            store: step.store,
            before: new Date(step.before).toISOString(),
            tenant: step.tenant,
            except_tenants: step.exceptTenants,
            units,
          });
        }
      } catch (error) {
        failures.inc({ store: step.store });
        result.steps.push({ ...step, dropped: [], error: (error as Error).message });
        log.error('retention step failed; it runs again next time', {
          store: step.store,
          error: (error as Error).message,
        });
      }
    }
    if (!dryRun) lastRun.set(Math.round(now / 1000));
    return result;
  }

  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  return {
    run,
    start() {
      const tick = () => {
        running = running.then(() => run(false)).catch(() => undefined);
      };
      tick();
      timer = setInterval(tick, retention.interval);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}

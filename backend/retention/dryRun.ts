import type { Logger } from '../../core/log/logger.ts';
import { MetricsRegistry } from '../../core/metrics/registry.ts';
import type { ServerConfig } from '../config/schema.ts';
import { sharedStores } from '../runtime/openStores.ts';
import { createRetentionJob, type RetentionRun } from './retentionJob.ts';

/**
 * `node backend/main.ts --config sluice.yaml --retention-dry-run`: what the retention job would drop now,
 * from the same stores and plan the running job uses, removing nothing. It opens the stores only (not the
 * bus), so it can run beside a live server: SQLite readers share the files, OpenSearch, PostgreSQL and S3
 * are only listed.
 */
export async function retentionDryRun(config: ServerConfig, log: Logger): Promise<RetentionRun> {
  const stores = sharedStores(config, log);
  try {
    const job = createRetentionJob(
      config.retention,
      { search: await stores.search(), metrics: await stores.metrics(), archive: stores.archive() },
      { log, registry: new MetricsRegistry() },
    );
    return await job.run(true);
  } finally {
    await stores.close();
  }
}

/** The run for people: each step with its cut-off and the units it would drop. */
export function formatRetentionRun(run: RetentionRun): string {
  const lines = ['retention dry run: nothing is removed'];
  for (const step of run.steps) {
    const who =
      step.tenant !== undefined
        ? ` (tenant ${step.tenant})`
        : step.exceptTenants !== undefined
          ? ` (all tenants but ${step.exceptTenants.join(', ')})`
          : '';
    const head = `${step.store.padEnd(8)} older than ${new Date(step.before).toISOString()}${who}`;
    if (step.error !== undefined) lines.push(`${head}: FAILED: ${step.error}`);
    else
      lines.push(
        `${head}: ${step.dropped.length === 0 ? 'nothing to drop' : `would drop ${step.dropped.length}`}`,
      );
    for (const unit of step.dropped) lines.push(`  ${unit}`);
  }
  return lines.join('\n');
}

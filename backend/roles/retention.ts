import { openLeaseStore } from '../engines/lease/openLeaseStore.ts';
import { createRetentionJob } from '../retention/retentionJob.ts';
import type { RoleHandle, ServerContext } from '../server/context.ts';
import { startSingletonRole } from './singletonRole.ts';

/**
 * Retention: drops expired data (docs/operations.md) once at taking the lease, then every
 * `retention.interval`. A singleton: dropping a unit twice is harmless, but a dry run beside a second
 * purge, or two processes deleting the same OpenSearch indices, is noise nobody needs.
 */
export async function startRole(ctx: ServerContext): Promise<RoleHandle> {
  const { config, registry } = ctx;
  const log = ctx.log.child({ role: 'retention' });
  const targets = {
    search: await ctx.stores.search(),
    metrics: await ctx.stores.metrics(),
    archive: ctx.stores.archive(),
  };
  const job = createRetentionJob(config.retention, targets, { log, registry });
  return startSingletonRole(ctx, {
    role: 'retention',
    leases: await openLeaseStore(config, { log }),
    durationMs: config.leases.duration,
    start: async () => {
      job.start();
      return job;
    },
  });
}

import { createAlertsMetrics } from '../alerts/alertsMetrics.ts';
import { rulesFromConfig } from '../alerts/rules/configRules.ts';
import { startAlertEvaluation } from '../alerts/startAlerting.ts';
import { openAlertStore } from '../alerts/store/openAlertStore.ts';
import { openLeaseStore } from '../engines/lease/openLeaseStore.ts';
import type { RoleHandle, ServerContext } from '../server/context.ts';
import { startSingletonRole } from './singletonRole.ts';

/**
 * Alert evaluation (docs/alerts.md): counts each rule's events every `alerts.evaluate_every` and
 * notifies. A singleton: two evaluating processes would send every notification twice. The rules and
 * alert states live in the alert store, so the process that takes the lease over continues from them.
 */
export async function startRole(ctx: ServerContext): Promise<RoleHandle> {
  const { config, registry } = ctx;
  const log = ctx.log.child({ role: 'alerts' });
  // A sluice.yaml rule that cannot run stops start-up here, naming it, not at each lease taken.
  rulesFromConfig(config.alerts, Date.now());
  const metrics = createAlertsMetrics(registry);
  const search = await ctx.stores.search();
  const store = await openAlertStore(config, log);
  let role: RoleHandle;
  try {
    role = startSingletonRole(ctx, {
      role: 'alerts',
      leases: await openLeaseStore(config, { log }),
      durationMs: config.leases.duration,
      start: async () => startAlertEvaluation({ config, search, store, log, registry, metrics }),
    });
  } catch (error) {
    await store.close();
    throw error;
  }
  return {
    name: 'alerts',
    async stop() {
      await role.stop();
      await store.close();
    },
  };
}

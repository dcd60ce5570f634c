import { startProcessor } from '../processor/processorRole.ts';
import { startArchiver } from '../sinks/archive/archiverRole.ts';
import { startMetricsWriter } from '../sinks/metrics/metricsRole.ts';
import { startIndexer } from '../sinks/search/indexerRole.ts';
import type { RoleHandle, ServerContext } from './context.ts';

type RoleStarter = (context: ServerContext) => Promise<RoleHandle>;

/** The worker roles; each runs its own consumer group, so several processes can share the work. */
const WORKERS: Record<string, RoleStarter> = {
  processor: startProcessor,
  indexer: startIndexer,
  metrics: startMetricsWriter,
  archiver: startArchiver,
};

/** Starts the worker roles this process runs, stopping the started ones again if one fails. */
export async function startWorkerRoles(context: ServerContext, roles: Set<string>): Promise<RoleHandle[]> {
  const handles: RoleHandle[] = [];
  try {
    for (const [name, start] of Object.entries(WORKERS)) {
      if (roles.has(name)) handles.push(await start(context));
    }
  } catch (error) {
    for (const h of handles.reverse()) await h.stop().catch(() => undefined);
    throw error;
  }
  return handles;
}

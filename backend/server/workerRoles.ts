import type { RoleHandle, ServerContext } from './context.ts';

/** Starts the worker roles (processor, indexer, metrics, archiver) this process runs. */
export async function startWorkerRoles(_context: ServerContext, _roles: Set<string>): Promise<RoleHandle[]> {
  return [];
}

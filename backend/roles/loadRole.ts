import type { RoleHandle, ServerContext } from '../server/context.ts';
import type { RoleName } from './table.ts';

export type RoleStarter = (ctx: ServerContext) => Promise<RoleHandle>;

/**
 * The starter of a role: `startRole` of `backend/roles/<name>.ts`. Loaded by name, and only for the
 * roles a process runs, so a gateway never loads the alerting or archive code, and the role table
 * (which the config schema reads) stays free of the roles' imports.
 */
export async function loadRole(name: RoleName): Promise<RoleStarter> {
  const file = (await import(`./${name}.ts`)) as { startRole?: unknown };
  if (typeof file.startRole !== 'function') {
    throw new Error(`backend/roles/${name}.ts must export startRole(ctx) for the role "${name}"`);
  }
  return file.startRole as RoleStarter;
}

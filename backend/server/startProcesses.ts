import { availableParallelism } from 'node:os';
import type { Logger } from '../../core/log/logger.ts';
import type { ServerConfig } from '../config/schema.ts';
import { type RunningServer, startServer } from './server.ts';

/**
 * What `backend/main.ts` and standalone start: one server process, or, with `listen.processes` above 1
 * and the gateway role, a primary and that many gateway processes on the gateway's port
 * (gatewayProcesses/primary.ts; loaded only then, since node:cluster is Node's alone).
 */
export async function startServerProcesses(config: ServerConfig, log: Logger): Promise<RunningServer> {
  const count = gatewayProcessCount(config);
  if (count <= 1 || !config.roles.includes('gateway')) return startServer(config, log);
  const { startGatewayProcesses } = await import('./gatewayProcesses/primary.ts');
  return startGatewayProcesses(config, log, count);
}

export function gatewayProcessCount(config: ServerConfig): number {
  const processes = config.listen.processes;
  return processes === 'auto' ? availableParallelism() : processes;
}

import type { Logger } from '../../../../core/log/logger.ts';
import type { CheckResult } from '../../../checks/result.ts';
import { checkWritableDir } from '../../../checks/writableDir.ts';
import type { ServerConfig } from '../../../config/schema.ts';

export type EmbeddedBusConfig = Extract<ServerConfig['bus'], { kind: 'embedded' }>;

/** The embedded bus keeps its segments and offsets in `bus.dir`: it must exist or be creatable, and be writable. */
export function checkEmbeddedBus(config: EmbeddedBusConfig, _deps: { log: Logger }): Promise<CheckResult> {
  return checkWritableDir(config.dir, 'bus.dir');
}

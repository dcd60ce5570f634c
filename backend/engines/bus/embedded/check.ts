import type * as v from 'valibot';
import type { Logger } from '../../../../core/log/logger.ts';
import type { CheckResult } from '../../../checks/result.ts';
import { checkWritableDir } from '../../../checks/writableDir.ts';
import type { embeddedBusSchema } from './config.ts';

export type EmbeddedBusConfig = v.InferOutput<typeof embeddedBusSchema>;

/** The embedded bus keeps its segments and offsets in `bus.dir`: it must exist or be creatable, and be writable. */
export function checkEmbeddedBus(config: EmbeddedBusConfig, _deps: { log: Logger }): Promise<CheckResult> {
  return checkWritableDir(config.dir, 'bus.dir');
}

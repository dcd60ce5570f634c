import type { Masker } from '../../../core/mask/index.ts';
import type { Stage } from './types.ts';

/**
 * Server-side masking with the agent's engine: defense in depth, so an agent that did not mask (or a tool
 * shipping straight to the gateway) cannot leak secrets into the stores.
 */
export function maskStage(masker: Masker): Stage {
  return (events) => events.map((e) => masker.maskEvent(e));
}

import {
  type Bus,
  type BusRecord,
  BusUnavailableError,
  type CommittedPosition,
  type Consumer,
} from '../../../core/ports/bus.ts';
import type { IpcError, ToPrimary, Unnumbered } from './messages.ts';

type Ask = <T>(request: Unnumbered<ToPrimary>) => Promise<T>;

/**
 * The Bus of a gateway process whose bus lives in the primary (the embedded log is one process's
 * directory): produce goes over IPC and resolves when the primary's produce did, so the gateway's
 * "202 only once the bus holds it" still holds. A gateway only produces; consuming is the primary's.
 */
export function ipcBus(ask: Ask): Bus {
  const unusable = (what: string) => () =>
    Promise.reject(new Error(`${what} is not available in a gateway process: the primary consumes`));
  return {
    ensureTopics: (topics) => ask({ t: 'ensureTopics', topics }),
    produce: (topic: string, records: BusRecord[]) => ask({ t: 'produce', topic, records }),
    consume: unusable('consume') as () => Promise<Consumer>,
    committed: unusable('committed') as () => Promise<CommittedPosition | null>,
    ready: () => ask<boolean>({ t: 'ready' }).catch(() => false),
    close: async () => {},
  };
}

/** A bus error as it crosses to the gateway process (an Error does not survive IPC with its class). */
export function ipcError(error: unknown): IpcError {
  const message = (error as Error)?.message ?? String(error);
  return error instanceof BusUnavailableError
    ? { message, retryAfterSeconds: error.retryAfterSeconds }
    : { message };
}

/** The error again on the gateway's side: a BusUnavailableError stays one (503 with Retry-After). */
export function fromIpcError(error: IpcError): Error {
  return error.retryAfterSeconds === undefined
    ? new Error(error.message)
    : new BusUnavailableError(error.message, error.retryAfterSeconds);
}

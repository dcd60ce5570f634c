import type { BusRecord } from '../../../core/ports/bus.ts';
import type { ServerConfig } from '../../config/schema.ts';
import type { Topics } from '../../runtime/topics.ts';
import type { Readiness } from '../health.ts';

/**
 * What the primary and its gateway processes say to each other over the cluster's IPC channel
 * ('advanced' serialization: record values cross as bytes, not JSON). Each request carries an id its
 * answer repeats.
 */
export type ToWorker =
  | {
      t: 'start';
      config: ServerConfig;
      /** The primary's own listener (its other roles' routes), for requests the gateway does not serve. */
      innerUrl: string;
      /** True when the bus is the primary's (the embedded log): records go to it over IPC. */
      busOverIpc: boolean;
      topics: Topics;
    }
  | { t: 'answer'; id: number; value?: unknown; error?: IpcError }
  /** Asks for this process's own metrics text. */
  | { t: 'render'; id: number }
  /** Asks for this process's own readiness checks (its bus, its listeners). */
  | { t: 'probe'; id: number }
  /** Drain and exit. */
  | { t: 'stop' };

export type ToPrimary =
  | { t: 'listening'; url: string }
  | { t: 'produce'; id: number; topic: string; records: BusRecord[] }
  | { t: 'ensureTopics'; id: number; topics: string[] }
  | { t: 'ready'; id: number }
  /** Asks for the metrics of every process of the port, merged. */
  | { t: 'metrics'; id: number }
  | { t: 'rendered'; id: number; text: string }
  | { t: 'probed'; id: number; results: Readiness[] };

export interface IpcError {
  message: string;
  /** Set when the bus refused for now (BusUnavailableError): the gateway answers 503 with it. */
  retryAfterSeconds?: number;
}

/** A message as its sender writes it, before the id is added (distributes over the union). */
export type Unnumbered<M> = M extends { id: number } ? Omit<M, 'id'> : never;

/** Requests over a channel and their answers, matched by id. */
export function createRequests<Request extends { id: number }>(send: (message: Request) => void) {
  let next = 1;
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: unknown): void }>();
  return {
    ask<T>(request: Unnumbered<Request>): Promise<T> {
      const id = next++;
      return new Promise<T>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
        try {
          send({ ...request, id } as unknown as Request);
        } catch (error) {
          pending.delete(id);
          reject(error);
        }
      });
    },
    /** Settles the request an answer is for; false when no request waits for it. */
    settle(id: number, value: unknown, error?: unknown): boolean {
      const waiting = pending.get(id);
      if (waiting === undefined) return false;
      pending.delete(id);
      if (error === undefined) waiting.resolve(value);
      else waiting.reject(error);
      return true;
    },
    /** Fails every request still waiting (the other side is gone). */
    failAll(error: Error): void {
      for (const waiting of pending.values()) waiting.reject(error);
      pending.clear();
    },
  };
}

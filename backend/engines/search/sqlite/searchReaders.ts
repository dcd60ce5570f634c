import { Worker } from 'node:worker_threads';
import type { LogEvent } from '../../../../core/event/types.ts';
import type { SearchPage } from '../../../../core/ports/searchStore.ts';
import type { AggregatePartial } from '../../../../core/query/aggregate/index.ts';
import type { SearchPlan } from '../../../sinks/search/searchPlan.ts';
import type { AggregateScope } from './partitionAggregate.ts';
import type { Partition } from './partitionFiles.ts';
import {
  type FromReader,
  type ReaderData,
  reviveError,
  type ToReader,
  type TraceScope,
} from './readerMessages.ts';

/**
 * Reader threads for the SQLite store: node:sqlite is synchronous, so a 300 ms search run on the
 * caller's thread stalls every other request, and a 2 ms trace waits behind it. Here each search
 * or trace runs whole on one of a few threads (readerThread.ts) with connections of their own.
 *
 * - Traces go ahead of queued searches: they are short, and someone is looking at one event.
 * - A request whose signal aborts before a thread takes it is dropped unrun.
 * - Threads start on the first request and hold the process open only while busy.
 */
export interface SearchReaders {
  search(plan: SearchPlan, partitions: Partition[], signal?: AbortSignal): Promise<SearchPage>;
  aggregate(scope: AggregateScope, partitions: Partition[], signal?: AbortSignal): Promise<AggregatePartial>;
  trace(
    scope: TraceScope,
    correlationId: string,
    limit: number,
    partitions: Partition[],
  ): Promise<LogEvent[]>;
  /** Closes the threads' connections to these files (removed by retention). */
  forget(fileNames: string[]): void;
  /** Fails queued requests, ends the threads. */
  close(): Promise<void>;
}

export class SearchReadersClosedError extends Error {
  readonly code = 'search_closed';

  constructor() {
    super('the search store is closed');
    this.name = 'SearchReadersClosedError';
  }
}

type Request = ToReader & { id: number };

interface Task {
  message: Request;
  resolve(value: unknown): void;
  reject(error: Error): void;
  signal?: AbortSignal;
}

interface Thread {
  worker: Worker;
  task: Task | null;
}

export interface SearchReadersOptions extends ReaderData {
  threads: number;
}

export function startSearchReaders(options: SearchReadersOptions): SearchReaders {
  const data: ReaderData = { path: options.path, maxOpenFiles: options.maxOpenFiles };
  const threads: Thread[] = [];
  const urgent: Task[] = [];
  const queued: Task[] = [];
  let nextId = 1;
  let closed = false;

  function spawn(): Thread {
    const worker = new Worker(new URL('./readerThread.ts', import.meta.url), { workerData: data });
    const thread: Thread = { worker, task: null };
    worker.unref();
    worker.on('message', (answer: FromReader) => {
      const task = thread.task;
      if (task === null || task.message.id !== answer.id) return;
      finish(thread);
      if (answer.ok) task.resolve(answer.value);
      else task.reject(reviveError(answer.error));
    });
    // A thread that dies fails its request only; the next request starts a new one.
    const lost = (error: Error) => {
      const index = threads.indexOf(thread);
      if (index < 0) return;
      threads.splice(index, 1);
      const task = thread.task;
      thread.task = null;
      task?.reject(error);
      dispatch();
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`a search reader thread exited with code ${code}`)));
    threads.push(thread);
    return thread;
  }

  function finish(thread: Thread): void {
    thread.task = null;
    thread.worker.unref();
    dispatch();
  }

  function next(): Task | undefined {
    for (;;) {
      const task = urgent.shift() ?? queued.shift();
      if (task === undefined || task.signal?.aborted !== true) return task;
      task.reject(task.signal.reason instanceof Error ? task.signal.reason : new Error('search aborted'));
    }
  }

  function dispatch(): void {
    while (!closed) {
      let thread = threads.find((t) => t.task === null);
      if (thread === undefined && threads.length < options.threads) thread = spawn();
      if (thread === undefined) return;
      const task = next();
      if (task === undefined) return;
      thread.task = task;
      // Busy threads keep the process alive: the caller awaits their answer.
      thread.worker.ref();
      thread.worker.postMessage(task.message);
    }
  }

  function submit<T>(message: Request, isUrgent: boolean, signal?: AbortSignal): Promise<T> {
    if (closed) return Promise.reject(new SearchReadersClosedError());
    return new Promise<T>((resolve, reject) => {
      const task: Task = { message, resolve: resolve as (value: unknown) => void, reject, signal };
      (isUrgent ? urgent : queued).push(task);
      dispatch();
    });
  }

  return {
    search(plan, partitions, signal) {
      return submit({ kind: 'search', id: nextId++, partitions, plan }, false, signal);
    },
    aggregate(scope, partitions, signal) {
      return submit({ kind: 'aggregate', id: nextId++, partitions, scope }, false, signal);
    },
    trace(scope, correlationId, limit, partitions) {
      return submit({ kind: 'trace', id: nextId++, partitions, scope, correlationId, limit }, true);
    },
    forget(fileNames) {
      for (const thread of threads)
        thread.worker.postMessage({ kind: 'forget', fileNames } satisfies ToReader);
    },
    async close() {
      closed = true;
      for (const task of [...urgent.splice(0), ...queued.splice(0)])
        task.reject(new SearchReadersClosedError());
      const stopping = threads.splice(0);
      for (const thread of stopping) {
        thread.task?.reject(new SearchReadersClosedError());
        thread.task = null;
      }
      await Promise.all(stopping.map((thread) => thread.worker.terminate()));
    },
  };
}

import { parentPort, workerData } from 'node:worker_threads';
import { aggregatePartitions } from './partitionAggregate.ts';
import { openPartitionReaders } from './partitionReaders.ts';
import { searchPartitions, tracePartitions } from './partitionSearch.ts';
import { type FromReader, type ReaderData, serializeError, type ToReader } from './readerMessages.ts';

/**
 * A reader thread (searchReaders.ts): runs searches and traces on read-only connections of its
 * own, so node:sqlite's synchronous calls block this thread, not the caller's event loop.
 */
const { path, maxOpenFiles } = workerData as ReaderData;
const readers = openPartitionReaders(path, maxOpenFiles);
const port = parentPort;
if (port === null) throw new Error('readerThread.ts runs only as a worker thread');

port.on('message', (message: ToReader) => {
  if (message.kind === 'forget') {
    readers.forget(message.fileNames);
    return;
  }
  let answer: FromReader;
  try {
    readers.use(message.partitions);
    const value =
      message.kind === 'search'
        ? searchPartitions(readers, message.plan)
        : message.kind === 'aggregate'
          ? aggregatePartitions(readers, message.scope)
          : tracePartitions(readers, message.scope, message.correlationId, message.limit);
    answer = { id: message.id, ok: true, value };
  } catch (error) {
    answer = { id: message.id, ok: false, error: serializeError(error) };
  }
  port.postMessage(answer);
});

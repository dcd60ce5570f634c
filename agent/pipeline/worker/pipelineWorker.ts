/**
 * An pipeline worker thread: runs the pipelines (parse, normalize, id, mask, enrich, serialize) of
 * every input, for the agent's main thread, which reads files and ships (pipelineWorkers.ts). Messages are
 * handled one at a time, in order, and answered with the number they came with, so the main thread
 * can put answers from several workers back in order.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createMasker } from '../../../core/mask/index.ts';
import { createPipeline, type Pipeline } from '../pipeline.ts';
import {
  type FromWorker,
  linesOf,
  type PipelineWorkerData,
  RecordsEncoder,
  type RecordsMessage,
  type ToWorker,
} from './messages.ts';

interface Hosted {
  edge: Pipeline;
  /** Blank lines since the last answer: `[offset, next)` pairs and their files. */
  skipped: number[];
  skippedFileIds: string[];
}

const port = parentPort;
if (port === null) throw new Error('pipelineWorker.ts runs as a worker thread of the agent');
const send = (message: FromWorker, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);

const data = workerData as PipelineWorkerData;
const hosted = new Map<number, Hosted>();
try {
  const masker = createMasker(data.config.mask);
  for (let index = 0; index < data.config.inputs.length; index++) {
    const skipped: number[] = [];
    const skippedFileIds: string[] = [];
    const edge = createPipeline(data.config.inputs[index], data.config, {
      masker,
      env: data.env,
      hostname: data.hostname,
      onSkipped: (fileId, offset, next) => {
        skipped.push(offset, next);
        skippedFileIds.push(fileId);
      },
    });
    hosted.set(index, { edge, skipped, skippedFileIds });
  }

  // One encoder for every input here: messages are handled one at a time, each finished before the next.
  const encoder = new RecordsEncoder();
  const answer = (message: ToWorker, input: Hosted): void => {
    const { block, transfer } = encoder.finish();
    // Every message is answered, a tick that completed nothing too: the main thread hands answers on
    // in the order of their numbers and must not wait for one that never comes.
    const reply: RecordsMessage = {
      kind: 'records',
      input: message.input,
      seq: message.seq,
      answers: message.kind,
      ...block,
      skipped: Float64Array.from(input.skipped),
      skippedFileIds: input.skippedFileIds.splice(0),
      stats: input.edge.stats(),
      held: input.edge.held,
      masked: masker.stats().masked,
    };
    input.skipped.length = 0;
    send(reply, transfer);
  };

  port.on('message', (message: ToWorker) => {
    const input = hosted.get(message.input);
    if (input === undefined) {
      send({ kind: 'failed', input: message.input, message: `input ${message.input} is not run here` });
      return;
    }
    try {
      if (message.kind === 'lines') {
        encoder.recycle(message.recycled);
        input.edge.push(linesOf(message), message.now, encoder);
      } else if (message.kind === 'tick') {
        input.edge.tick(message.now, encoder);
      } else {
        input.edge.drain(encoder);
      }
      answer(message, input);
    } catch (error) {
      encoder.finish(); // what the failed message encoded goes nowhere
      // A bug, not bad input (parsers keep what they cannot read): the input stops, the agent says why.
      send({ kind: 'failed', input: message.input, message: (error as Error)?.stack ?? String(error) });
    }
  });
  send({ kind: 'ready' });
} catch (error) {
  send({ kind: 'failed', input: -1, message: (error as Error)?.message ?? String(error) });
}

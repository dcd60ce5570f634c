/**
 * Child process for the crash tests: opens the embedded bus with fsync 'always' and runs several
 * concurrent producers (like the gateway's concurrent HTTP batches) until it is killed. After each
 * produce() resolves it prints one line `ack <run> <producer> <batch>`; a printed line is the promise that
 * the batch is durable. Batch contents are a pure function of (run, producer, batch), so the parent can
 * rebuild every acknowledged record from the lines alone.
 *
 *   node producerChild.ts <dir> <run> [maxBatchesPerProducer]
 */
import { openEmbeddedBus } from '../../../backend/engines/bus/embedded/embeddedBus.ts';
import { batchRecords, CRASH_TOPIC, PRODUCERS } from './crashWorkload.ts';

const [dir, runArg, maxArg] = process.argv.slice(2);
const run = Number(runArg);
const maxBatches = Number(maxArg ?? 300);

const bus = await openEmbeddedBus({
  dir,
  fsync: 'always',
  partitions: 4,
  segmentBytes: 256 * 1024,
  onEvent: (e) => process.stderr.write(`${JSON.stringify(e)}\n`),
});
await bus.ensureTopics([CRASH_TOPIC]);
process.stdout.write('ready\n');

await Promise.all(
  Array.from({ length: PRODUCERS }, async (_, producer) => {
    for (let batch = 0; batch < maxBatches; batch++) {
      await bus.produce(CRASH_TOPIC, batchRecords(run, producer, batch));
      // Pipes to a parent are written synchronously on Linux: once this returns, the parent can read it.
      process.stdout.write(`ack ${run} ${producer} ${batch}\n`);
    }
  }),
);
process.stdout.write('done\n');
// Stay alive until killed, holding the log open like a running server would.
setInterval(() => {}, 1 << 30);

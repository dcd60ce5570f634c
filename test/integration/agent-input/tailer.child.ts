/**
 * Child process for the kill -9 test of the file input: tails one file and acknowledges every batch
 * at once (as if the gateway had it), after printing its byte range. Printing comes first, so whatever
 * the checkpoint holds was reported as delivered.
 */
import { join } from 'node:path';
import { CheckpointStore } from '../../../agent/checkpoint/checkpointStore.ts';
import { createFileInput, type FileInput } from '../../../agent/inputs/file/fileInput.ts';

const [stateDir, path] = process.argv.slice(2);
const checkpoints = await CheckpointStore.open({ path: join(stateDir, 'checkpoints.json'), debounceMs: 1 });
let input: FileInput | undefined;
input = createFileInput({
  paths: [path],
  readChunkBytes: 8 * 1024,
  pollIntervalMs: 5,
  scanIntervalMs: 50,
  checkpoints,
  onLines: async (lines) => {
    process.stdout.write(`${lines[0].offset} ${lines[lines.length - 1].next}\n`);
    input?.ackLines(lines);
    // A shipper takes its time: this keeps the child mid-file long enough for the parent to kill it there.
    await new Promise((resolve) => setTimeout(resolve, 1));
  },
});
await input.start();

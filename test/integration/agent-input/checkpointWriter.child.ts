/**
 * Child process for the kill -9 test: rewrites one checkpoint file as fast as it can. Every write sets
 * all entries to the same round number, so a torn or mixed file would show as entries that disagree.
 * After each completed write it prints the round (synchronously on Linux pipes): that round is durable.
 */
import { CheckpointStore } from '../../../agent/checkpoint/checkpointStore.ts';

const path = process.argv[2];
const store = await CheckpointStore.open({ path, debounceMs: 0 });
for (let round = 1; ; round++) {
  for (let i = 0; i < 200; i++) {
    store.set(`file-${i}`, {
      path: `/var/log/app-${i}.log`,
      dev: 2049,
      ino: 1000 + i,
      birthtimeMs: 1700000000000,
      head: { len: 1024, hash: 'f'.repeat(32) },
      offset: round * 1000,
      updatedAt: Date.now(),
    });
  }
  await store.flush();
  process.stdout.write(`${round}\n`);
}

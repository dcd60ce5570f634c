import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { CheckpointStore } from '../../checkpoint/checkpointStore.ts';
import { joinContainerLines } from '../container/joinLines.ts';
import { inputKind } from '../inputKind.ts';
import { checkFilePaths } from './check.ts';
import { fileInputSchema } from './config.ts';
import { createFileInput } from './fileInput.ts';

/** `type: file`: follows files matching glob patterns (docs/agent-inputs.md). */
export const fileInputKind = inputKind({
  type: 'file',
  schema: fileInputSchema,
  async start(input, ctx) {
    const checkpointPath = join(ctx.stateDir, 'checkpoints', `${checkpointName(input.paths)}.json`);
    await mkdir(join(ctx.stateDir, 'checkpoints'), { recursive: true });
    const checkpoints = await CheckpointStore.open({ path: checkpointPath, logger: ctx.log });
    if (checkpoints.origin === 'corrupt')
      ctx.log.warn('checkpoints were corrupt; every file is read from its start');
    const container = input.format === 'cri' || input.format === 'docker';
    const lines = container
      ? joinContainerLines(input.format as 'cri' | 'docker', ctx.onLines, {
          maxLineBytes: input.max_line_bytes,
          partialTimeoutMs: input.partial_line_timeout,
          log: ctx.log,
        })
      : undefined;
    const file = createFileInput({
      paths: input.paths,
      exclude: input.exclude,
      startAt: input.start_at,
      scanIntervalMs: input.scan_interval,
      watch: input.watch,
      pollIntervalMs: input.poll_interval,
      rotateWaitMs: input.rotate_wait,
      maxOpenFiles: input.max_open_files,
      fingerprintBytes: input.fingerprint_bytes,
      readChunkBytes: input.read_chunk_bytes,
      partialLineTimeoutMs: input.partial_line_timeout,
      maxLineBytes: input.max_line_bytes,
      checkpoints,
      onLines: lines?.onLines ?? ctx.onLines,
      logger: ctx.log,
    });
    await file.start();
    ctx.log.info('reading files', { paths: input.paths, checkpoints: checkpointPath });
    return {
      ended: file.done.finally(() => lines?.stop()),
      async stop() {
        lines?.stop();
        await file.stop();
      },
      ack: (fileId, offset, next) => file.ack(fileId, offset, next),
      closeCheckpoints: () => checkpoints.close(),
      files: checkpoints,
    };
  },
  check: checkFilePaths,
  describe: (input) => `file ${input.paths.join(',')} (${input.format})`,
});

/**
 * The checkpoint file of a file input, named by its `paths` rather than its place in the list, so
 * adding or reordering inputs keeps every input's checkpoints. Changing an input's `paths` starts it
 * afresh (by `start_at`); files read again carry the ids they had, so stores drop the duplicates.
 */
export function checkpointName(paths: readonly string[]): string {
  const digest = createHash('sha256').update(paths.join('\n')).digest('hex');
  return `file-${digest.slice(0, 16)}`;
}

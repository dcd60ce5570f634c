import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { inputKind } from '../inputKind.ts';
import { type JournaldInputConfig, journaldInputSchema } from './config.ts';
import { followJournal } from './followJournal.ts';
import { JournalCheckpoint } from './journalCheckpoint.ts';

const run = promisify(execFile);

/** `type: journald`: follows the systemd journal through journalctl (docs/agent-inputs.md). */
export const journaldInputKind = inputKind({
  type: 'journald',
  schema: journaldInputSchema,
  async start(input, ctx) {
    await mkdir(join(ctx.stateDir, 'checkpoints'), { recursive: true });
    const path = join(ctx.stateDir, 'checkpoints', `${checkpointName(input)}.json`);
    const checkpoint = await JournalCheckpoint.open(path, ctx.log);
    const follower = followJournal({
      journalctl: input.journalctl,
      directory: input.directory,
      matches: input.matches,
      startAt: input.start_at,
      checkpoint,
      maxMessageBytes: input.max_line_bytes,
      onLines: ctx.onLines,
      log: ctx.log,
    });
    ctx.log.info('following the journal', {
      directory: input.directory ?? '(this machine)',
      after_cursor: checkpoint.current !== undefined,
      checkpoint: path,
    });
    return {
      ended: follower.done,
      stop: () => follower.stop(),
      ack: (fileId, offset, next) => follower.ack(fileId, offset, next),
      closeCheckpoints: () => checkpoint.flush(),
    };
  },
  async check(input, index) {
    const component = `input ${index} (${input.service}) journald ${input.directory ?? ''}`.trimEnd();
    const args = ['--no-pager', '--lines=0', '--quiet'];
    if (input.directory !== undefined) args.push('--directory', input.directory);
    try {
      await run(input.journalctl, args, { timeout: 10_000 });
      return { component, status: 'ok', detail: 'journalctl reads the journal' };
    } catch (error) {
      const e = error as NodeJS.ErrnoException & { stderr?: string };
      const detail =
        e.code === 'ENOENT'
          ? `${input.journalctl} not found: install journalctl (systemd) or set journalctl:`
          : `journalctl failed: ${(e.stderr ?? e.message).trim().slice(0, 300)}`;
      return { component, status: 'fail', detail };
    }
  },
  describe: (input) => `journald ${input.directory ?? '(local journal)'}`,
});

/** Named by what is read (directory and matches), so reordering inputs keeps the cursor. */
function checkpointName(input: JournaldInputConfig): string {
  const digest = createHash('sha256')
    .update([input.directory ?? '', ...input.matches].join('\n'))
    .digest('hex');
  return `journald-${digest.slice(0, 16)}`;
}

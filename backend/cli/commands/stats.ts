import { findPipe } from '../../../core/query/aggregate/index.ts';
import { CliFailure } from '../client.ts';
import { type CommandContext, str } from '../context.ts';
import { renderCsv, renderJsonLines, renderTable, type Table } from '../table.ts';
import { UsageError } from '../usage.ts';

export const statsOptions = {
  from: { type: 'string' },
  to: { type: 'string' },
  source: { type: 'string' },
  csv: { type: 'boolean' },
} as const;

/** Progress lines on a non-terminal stderr: at most one per this many ms. */
const PROGRESS_EVERY_MS = 2000;

interface Answer extends Table {
  bucket_ms: number | null;
  took_ms: number;
  approximate: boolean;
  archive?: { files: number; blocks: number; pruned_blocks: number; rows: number };
}

/**
 * `sluice stats '<filter> | stats …'`: the aggregate API's table, as aligned columns, CSV or JSON lines.
 * The answer streams progress while archive files are read, shown on stderr (rewriting one line on a
 * terminal), so a report over months shows how far it is.
 */
export async function stats(ctx: CommandContext): Promise<void> {
  const q = ctx.positionals[0];
  if (q === undefined || q.trim() === '')
    throw new UsageError(
      `stats needs a query with a pipe, e.g. sluice stats 'level>=error | stats count() by service'`,
    );
  if (findPipe(q) < 0)
    throw new UsageError(
      `stats needs a pipe in the query, e.g. '${q.slice(0, 30)} | stats count() by bucket()' or '… | top 10 service'`,
    );
  const source = str(ctx.values.source);
  if (source !== undefined && !['auto', 'hot', 'archive'].includes(source))
    throw new UsageError(`--source must be auto, hot or archive, not '${source.slice(0, 20)}'`);
  if (ctx.values.csv === true && ctx.values.json === true)
    throw new UsageError('choose one of --csv and --json');
  const res = await ctx.client.request('GET', '/api/v1/aggregate', {
    q,
    from: str(ctx.values.from) ?? 'now-1h',
    to: str(ctx.values.to),
    source,
    progress: '1',
  });
  const answer = await readStream(ctx, res);
  if (ctx.values.json === true) {
    if (answer.rows.length > 0) ctx.out(renderJsonLines(answer));
    return;
  }
  ctx.out(ctx.values.csv === true ? renderCsv(answer) : renderTable(answer));
  if (ctx.values.csv !== true) {
    const archive =
      answer.archive === undefined
        ? ''
        : `, archive: ${answer.archive.files} files, ${answer.archive.blocks} row groups read, ${answer.archive.pruned_blocks} skipped`;
    ctx.err(
      `${answer.rows.length} rows in ${answer.took_ms} ms${answer.bucket_ms === null ? '' : `, buckets of ${answer.bucket_ms / 1000} s`}${archive}${answer.approximate ? ' (some values are estimates)' : ''}`,
    );
  }
}

async function readStream(ctx: CommandContext, res: Response): Promise<Answer> {
  if (res.body === null) throw new CliFailure('the server answered with no body');
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let shown = false;
  let lastShown = 0;
  const clear = () => {
    if (shown && ctx.errIsTTY) ctx.errRaw('\r\x1b[K');
    shown = false;
  };
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += value;
    let end = buffer.indexOf('\n');
    while (end !== -1) {
      const line = buffer.slice(0, end);
      buffer = buffer.slice(end + 1);
      end = buffer.indexOf('\n');
      if (line.trim() === '') continue;
      const message = JSON.parse(line) as {
        progress?: { files_done: number; files_total: number };
        result?: Answer;
        error?: { code: string; message: string };
        status?: number;
      };
      if (message.progress !== undefined) {
        const { files_done, files_total } = message.progress;
        const text = `archive: ${files_done}/${files_total} files (${Math.floor((100 * files_done) / Math.max(1, files_total))} %)`;
        if (ctx.errIsTTY) {
          ctx.errRaw(`\r\x1b[K${text}`);
          shown = true;
        } else if (performance.now() - lastShown >= PROGRESS_EVERY_MS || files_done === files_total) {
          lastShown = performance.now();
          ctx.err(text);
        }
      } else if (message.result !== undefined) {
        clear();
        return message.result;
      } else if (message.error !== undefined) {
        clear();
        const status = message.status ?? 500;
        const text = `${status} ${message.error.code}: ${message.error.message}`;
        throw status === 400 ? new UsageError(text) : new CliFailure(text);
      }
    }
  }
  clear();
  throw new CliFailure('the answer ended before its result (the server stopped?)');
}

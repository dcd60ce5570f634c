import type { LogEvent } from '../../../core/event/types.ts';
import { type CommandContext, str } from '../context.ts';
import { formatEvent } from '../format.ts';
import { UsageError, wholeNumber } from '../usage.ts';

/** Most hits the API gives per page (limits.query.max_limit's default). */
const MAX_LIMIT = 1000;

export const searchOptions = {
  from: { type: 'string' },
  to: { type: 'string' },
  limit: { type: 'string' },
  order: { type: 'string' },
  all: { type: 'boolean' },
} as const;

export function printEvent(ctx: CommandContext, e: LogEvent): void {
  ctx.out(ctx.values.json === true ? JSON.stringify(e) : formatEvent(e, ctx.color));
}

/** `sluice search '<q>'`: one page, or every page with --all. */
export async function search(ctx: CommandContext): Promise<void> {
  const limit = str(ctx.values.limit);
  if (limit !== undefined)
    wholeNumber('limit', limit, 1, MAX_LIMIT, '; to get every hit use --all (it pages through them)');
  const order = str(ctx.values.order);
  if (order !== undefined && order !== 'asc' && order !== 'desc')
    throw new UsageError(`--order must be asc or desc, not '${order.slice(0, 20)}'`);
  let cursor: string | undefined;
  do {
    const page = await ctx.client.json<{
      hits: LogEvent[];
      total: { value: number; relation: string };
      next_cursor: string | null;
    }>('GET', '/api/v1/search', {
      q: ctx.positionals[0] ?? '',
      from: str(ctx.values.from) ?? 'now-1h',
      to: str(ctx.values.to),
      limit,
      order,
      cursor,
    });
    for (const e of page.hits) printEvent(ctx, e);
    if (ctx.values.json !== true && cursor === undefined)
      ctx.err(`${page.total.relation === 'gte' ? '≥' : ''}${page.total.value} hits`);
    cursor = ctx.values.all === true ? (page.next_cursor ?? undefined) : undefined;
  } while (cursor !== undefined);
}

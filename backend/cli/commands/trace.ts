import type { LogEvent } from '../../../core/event/types.ts';
import { type CommandContext, str } from '../context.ts';
import { UsageError } from '../usage.ts';
import { printEvent } from './search.ts';

export const traceOptions = { from: { type: 'string' }, to: { type: 'string' } } as const;

/** `sluice trace <id>`: one request's events across services, and a summary per service. */
export async function trace(ctx: CommandContext): Promise<void> {
  const id = ctx.positionals[0];
  if (id === undefined) throw new UsageError('trace needs a correlation ID: sluice trace <correlation-id>');
  const result = await ctx.client.json<{
    events: LogEvent[];
    services: Array<{ service: string; count: number; errors: number }>;
    duration_ms: number;
  }>('GET', `/api/v1/trace/${encodeURIComponent(id)}`, {
    from: str(ctx.values.from),
    to: str(ctx.values.to),
  });
  if (ctx.values.json === true) {
    ctx.out(JSON.stringify(result));
    return;
  }
  for (const e of result.events) printEvent(ctx, e);
  ctx.err(`\n${result.events.length} events, ${result.services.length} services, ${result.duration_ms} ms`);
  for (const s of result.services)
    ctx.err(`  ${s.service.padEnd(20)} ${String(s.count).padStart(5)} events  ${s.errors} errors`);
}

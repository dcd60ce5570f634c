import type { CommandContext } from '../context.ts';
import { printEvent } from './search.ts';

export const tailOptions = {} as const;

/** `sluice tail ['<q>']`: matching events as they arrive (server-sent events), until interrupted. */
export async function tail(ctx: CommandContext): Promise<void> {
  const res = await ctx.client.request('GET', '/api/v1/tail', { q: ctx.positionals[0] ?? '' });
  if (res.body === null) return;
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += value;
    let end = buffer.indexOf('\n\n');
    while (end !== -1) {
      const message = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = message
        .split('\n')
        .filter((l) => l.startsWith('data: '))
        .map((l) => l.slice(6))
        .join('\n');
      if (message.startsWith('event: dropped'))
        ctx.err(`sluice: too slow, dropped ${JSON.parse(data).dropped} events`);
      else if (data !== '') printEvent(ctx, JSON.parse(data));
      end = buffer.indexOf('\n\n');
    }
  }
}

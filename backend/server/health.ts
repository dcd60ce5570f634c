import type { Hono } from 'hono';
import { PROMETHEUS_CONTENT_TYPE } from '../../core/metrics/registry.ts';
import type { ServerContext } from './context.ts';

/** `/healthz`, `/readyz` (the bus answers) and `/metrics` for a process without the gateway, which has its own. */
export function mountHealth(app: Hono, ctx: ServerContext): void {
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    const ready = await ctx.bus.ready().catch(() => false);
    return c.json({ status: ready ? 'ready' : 'bus unreachable' }, ready ? 200 : 503);
  });
  app.get('/metrics', async (c) =>
    c.body(await ctx.registry.render(), 200, { 'content-type': PROMETHEUS_CONTENT_TYPE }),
  );
}

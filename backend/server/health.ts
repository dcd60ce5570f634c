import type { Hono } from 'hono';
import { PROMETHEUS_CONTENT_TYPE } from '../../core/metrics/registry.ts';
import { componentChecks, componentsOf } from '../checks/components.ts';
import { bounded, type CheckResult, failed, passed } from '../checks/result.ts';
import type { RoleHandle, ServerContext } from './context.ts';

/** A probe's answer is reused this long, so a load balancer polling every second costs one probe per store per 5 s. */
const PROBE_TTL_MS = 5000;
/** Longest a /readyz waits for a store; one that does not answer by then is unusable. */
const PROBE_TIMEOUT_MS = 2500;

interface Watched {
  component: string;
  kind: string;
  probe: () => Promise<CheckResult>;
}

/** One component as /readyz reports it. */
export interface Readiness {
  component: string;
  kind: string;
  result: CheckResult;
}

/**
 * What `/readyz` checks for this process: the bus, every store the process's roles use and the roles'
 * own listeners (OTLP/gRPC).
 */
export function readinessChecks(
  ctx: ServerContext,
  handles: readonly RoleHandle[] = [],
): () => Promise<Readiness[]> {
  const watched = [...watchedStores(ctx), ...handles.flatMap((h) => h.probes ?? [])];
  return () =>
    Promise.all([
      (async () => ({
        component: 'bus',
        kind: ctx.config.bus.kind,
        result: (await ctx.bus.ready().catch(() => false))
          ? passed('answers')
          : failed('unreachable: see the produce and consume errors in the log'),
      }))(),
      ...watched.map(async (w) => ({ component: w.component, kind: w.kind, result: await w.probe() })),
    ]);
}

/**
 * `/readyz`: 200 while every check passes, else 503 naming the unusable components (a load balancer stops
 * sending work; an operator sees why). Mounted ahead of the gateway's own /readyz, which knows only the bus.
 */
export function mountReadiness(app: Hono, checks: () => Promise<Readiness[]>): void {
  app.get('/readyz', async (c) => {
    const unusable = (await checks())
      .filter((r) => !r.result.ok)
      .map((r) => ({ component: r.component, kind: r.kind, detail: r.result.detail }));
    if (unusable.length === 0) return c.json({ status: 'ready' });
    c.header('Retry-After', '5');
    return c.json({ status: 'not ready', unusable }, 503);
  });
}

/** `/healthz` and `/metrics` for a process without the gateway, which has its own. */
export function mountHealth(app: Hono, ctx: ServerContext): void {
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/metrics', async (c) =>
    c.body(await ctx.registry.render(), 200, { 'content-type': PROMETHEUS_CONTENT_TYPE }),
  );
}

/** The stores the roles use (the bus is asked directly), each probe cached and bounded. */
function watchedStores(ctx: ServerContext): Watched[] {
  const stores = componentsOf(ctx.config.roles).filter((c) => c !== 'bus');
  return componentChecks(ctx.config, stores).flatMap(({ component, kind, probe }) =>
    probe === undefined
      ? []
      : [{ component, kind, probe: cached(() => bounded(probe, PROBE_TIMEOUT_MS, `${component} ${kind}`)) }],
  );
}

/** The probe's last answer while younger than the TTL; else one fresh run, shared by concurrent requests. */
function cached(probe: () => Promise<CheckResult>): () => Promise<CheckResult> {
  let last: { at: number; result: CheckResult } | undefined;
  let running: Promise<CheckResult> | undefined;
  return () => {
    if (last !== undefined && Date.now() - last.at < PROBE_TTL_MS) return Promise.resolve(last.result);
    running ??= probe().then((result) => {
      last = { at: Date.now(), result };
      running = undefined;
      return result;
    });
    return running;
  };
}

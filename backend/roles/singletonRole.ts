import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { LeaseStore } from '../../core/ports/leaseStore.ts';
import type { RoleHandle, ServerContext } from '../server/context.ts';

/** The work of a singleton role while this process holds its lease. */
export interface SingletonWork {
  /** Stops taking work and waits for what is in flight. */
  stop(): Promise<void>;
}

export interface SingletonRoleOptions {
  /** Role name: the lease's name, the log component and the metric prefix (`sluice_<role>_lease_held`). */
  role: string;
  /** Opened by the caller, initialized; closed by the role's stop(). */
  leases: LeaseStore;
  /** How long the lease lasts without renewal; it is renewed (or asked for) every third of that. */
  durationMs: number;
  /** Starts the work; called each time this process takes the lease. */
  start: () => Promise<SingletonWork>;
  /** Who this process is in the lease table; default `<host>/<pid>/<random>`. */
  holder?: string;
}

/**
 * A role that must run in one process at a time (retention, alert evaluation) however many processes
 * are started with it: each asks for the role's lease every third of its duration; the holder renews it
 * and works, the others stand by and take over once it expires (the holder was killed) or is given back
 * (the holder stopped). Losing the lease stops the work: at once when another process has it, and
 * before it could expire when the store cannot be reached to renew it, so two never work at once.
 */
export function startSingletonRole(
  ctx: Pick<ServerContext, 'log' | 'registry'>,
  options: SingletonRoleOptions,
): RoleHandle {
  const { role, leases, durationMs } = options;
  const holder = options.holder ?? `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;
  const renewEveryMs = Math.max(50, Math.floor(durationMs / 3));
  // Stop this long before the lease could expire: the work's stop() needs time to finish.
  const marginMs = Math.floor(renewEveryMs / 2);
  const log = ctx.log.child({ role, holder });
  const held = ctx.registry.gauge(
    `sluice_${role}_lease_held`,
    `Whether this process holds the ${role} lease and runs the role (1) or stands by (0).`,
  );
  held.set(0);

  let work: SingletonWork | null = null;
  let starting: Promise<void> | null = null;
  let guard: NodeJS.Timeout | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  let unreachableSince: number | null = null;

  const end = async (message: string, level: 'info' | 'warn') => {
    clearTimeout(guard);
    if (starting !== null) await starting;
    const current = work;
    work = null;
    held.set(0);
    if (current === null) return;
    log[level](message);
    await current
      .stop()
      .catch((error) =>
        log.error('singleton role did not stop cleanly', { error: (error as Error).message }),
      );
  };

  const begin = async () => {
    try {
      work = await options.start();
      held.set(1);
      log.info('took the lease; running here', { lease_ms: durationMs });
    } catch (error) {
      log.error('could not start after taking the lease; giving it back and retrying', {
        error: (error as Error).message,
      });
      await leases.release(role, holder).catch(() => undefined); // it expires by itself otherwise
    }
  };

  const attempt = async () => {
    const askedAt = performance.now();
    let granted: boolean;
    try {
      granted = await leases.acquire(role, holder, durationMs);
      if (unreachableSince !== null) log.info('lease store reachable again');
      unreachableSince = null;
    } catch (error) {
      // The guard stops the work before the lease could expire; until then it keeps going.
      if (unreachableSince === null) {
        unreachableSince = askedAt;
        log.warn('cannot reach the lease store; retrying', { error: (error as Error).message });
      }
      return;
    }
    if (stopped) return;
    if (!granted) {
      if (work !== null) await end('another process took the lease; stopped here', 'warn');
      return;
    }
    // The store counts the duration from when it got the request, which is after askedAt.
    clearTimeout(guard);
    guard = setTimeout(
      () => void end('could not renew the lease before it expires; stopped here', 'warn'),
      Math.max(0, askedAt + durationMs - marginMs - performance.now()),
    );
    guard.unref();
    if (work === null && starting === null) {
      starting = begin().finally(() => {
        starting = null;
      });
      await starting;
    }
  };

  const loop = () => {
    running = attempt().finally(() => {
      if (!stopped) {
        timer = setTimeout(loop, renewEveryMs);
        timer.unref();
      }
    });
  };
  loop();
  log.info('asking for the lease', { lease_ms: durationMs });

  return {
    name: role,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
      await end('stopping; giving the lease back', 'info');
      try {
        await leases.release(role, holder);
      } catch (error) {
        log.warn('could not give the lease back; it expires by itself', { error: (error as Error).message });
      }
      await leases.close();
    },
  };
}

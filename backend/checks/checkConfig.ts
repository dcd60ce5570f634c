import type { Logger } from '../../core/log/logger.ts';
import type { ServerConfig } from '../config/schema.ts';
import { componentChecks, componentsOf } from './components.ts';
import { checkBindable, listenAddressesOf } from './listenAddress.ts';
import { bounded, type CheckResult } from './result.ts';

/** How long one component's check may take before it counts as failed (each engine client has shorter timeouts). */
const CHECK_TIMEOUT_MS = 8000;

export interface CheckedComponent {
  component: string;
  kind: string;
  result: CheckResult;
}

/**
 * `--check-config` after the file parsed: every store the process's roles use, and the addresses it would
 * listen on, checked at once (so the whole run takes as long as the slowest check, a few seconds at most).
 */
export async function checkServerConfig(config: ServerConfig, log: Logger): Promise<CheckedComponent[]> {
  const roles = new Set<string>(config.roles);
  const checks = componentChecks(config, componentsOf(roles));
  // Before any check's clock starts: loading a library blocks this process, the other checks' too.
  await Promise.all(checks.map((c) => c.prepare()));
  const stores = checks.map(async (c) => ({
    component: c.component,
    kind: c.kind,
    result: await bounded(() => c.check({ log }), CHECK_TIMEOUT_MS, `${c.component} ${c.kind}`),
  }));
  const listen = listenAddressesOf(roles, config.listen).map(async ({ key, address }) => ({
    component: 'listen',
    kind: key.slice('listen.'.length),
    result: await bounded(() => checkBindable(address, key), CHECK_TIMEOUT_MS, key),
  }));
  return Promise.all([...stores, ...listen]);
}

/** `ok   bus kafka 127.0.0.1:9092: …` or `FAIL archive s3 …: why and what to do`. */
export function formatChecked(checked: CheckedComponent): string {
  return `${checked.result.ok ? 'ok  ' : 'FAIL'} ${checked.component} ${checked.kind} ${checked.result.detail}`;
}

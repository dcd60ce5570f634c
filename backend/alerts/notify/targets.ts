import type { ServerConfig } from '../../config/schema.ts';

/** Where notifications go, from `alerts.notify`. */
export interface NotifyTarget {
  kind: 'webhook' | 'slack';
  name: string;
  url: string;
  headers: Record<string, string>;
  timeoutMs: number;
}

/** Slack targets have no timeout key in sluice.yaml; webhooks default to the same. */
const DEFAULT_TIMEOUT_MS = 10_000;

export function targetsFromConfig(alerts: ServerConfig['alerts']): NotifyTarget[] {
  return alerts.notify.map((t) =>
    t.kind === 'webhook'
      ? { kind: 'webhook', name: t.name, url: t.url, headers: { ...t.headers }, timeoutMs: t.timeout }
      : { kind: 'slack', name: t.name, url: t.url, headers: {}, timeoutMs: DEFAULT_TIMEOUT_MS },
  );
}

/**
 * Field aliases of contracts.md §1. Keys are compared after lowercasing and removing `-`, `_` and `.`,
 * so `correlationId`, `correlation_id`, `x-correlation-id` and `X-Correlation-ID` all meet, and nested
 * input (`{"service":{"name":…}}`, flattened to `service.name`) meets `service.name`.
 * Earlier names in a list win when a record carries several of them; the losers stay in attrs.
 */
export type AliasTarget =
  | 'id'
  | 'ts'
  | 'observed_ts'
  | 'level'
  | 'severity_number'
  | 'syslog_severity'
  | 'message'
  | 'service'
  | 'host'
  | 'env'
  | 'tenant'
  | 'correlation_id'
  | 'trace_id'
  | 'span_id'
  | 'attrs';

const ALIASES: Record<AliasTarget, string[]> = {
  id: ['id'],
  ts: ['ts', 'timestamp', '@timestamp', 'time'],
  observed_ts: ['observed_ts', 'observed_timestamp'],
  level: ['level', 'severity', 'lvl', 'loglevel', 'log.level', 'severity_text', 'level_name'],
  severity_number: ['severity_number'],
  syslog_severity: ['syslog_severity'],
  message: ['message', 'msg', 'log'],
  service: ['service', 'app', 'service.name', 'application'],
  host: ['host', 'hostname', 'host.name'],
  env: ['env', 'environment', 'deployment.environment'],
  tenant: ['tenant'],
  correlation_id: ['correlation_id', 'x-correlation-id', 'request_id', 'x-request-id', 'cid'],
  trace_id: ['trace_id', 'trace.id'],
  span_id: ['span_id', 'span.id'],
  attrs: [],
};

export function canonicalKey(key: string): string {
  return key.toLowerCase().replace(/[-_.]/g, '');
}

/** Every target, in a fixed order: `Alias.slot` is a target's index here, for array-indexed bookkeeping. */
export const ALIAS_TARGETS = Object.keys(ALIASES) as AliasTarget[];

export interface Alias {
  target: AliasTarget;
  /** Precedence among the names of one target: lower wins. */
  rank: number;
  /** The target's index in ALIAS_TARGETS. */
  slot: number;
}

// Input keys repeat from record to record, so their lookups are cached (bounded, cleared when full).
const CACHE_LIMIT = 4096;
const cache = new Map<string, Alias | null>();

const TABLE = new Map<string, Alias>();
for (const [target, names] of Object.entries(ALIASES) as Array<[AliasTarget, string[]]>) {
  names.forEach((name, rank) => {
    TABLE.set(canonicalKey(name), { target, rank, slot: ALIAS_TARGETS.indexOf(target) });
  });
}

/** The reserved field a (flattened) input key stands for, and its precedence; undefined for attributes. */
export function aliasOf(key: string): Alias | undefined {
  let hit = cache.get(key);
  if (hit === undefined) {
    hit = TABLE.get(canonicalKey(key)) ?? null;
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(key, hit);
  }
  return hit ?? undefined;
}

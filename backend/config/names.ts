import * as v from 'valibot';
import { TENANT_NAME, TENANT_NAME_RULE } from '../../core/auth/tenantName.ts';

/** Tenant names go into index names and archive paths, so they are lower-case words. */
export function tenantNameSchema() {
  return v.pipe(v.string(), v.regex(TENANT_NAME, `expected a tenant name: ${TENANT_NAME_RULE}`));
}

/** Metric names follow Prometheus: they are queried by name and exported as is. */
export function metricNameSchema() {
  return v.pipe(
    v.string(),
    v.regex(
      /^[a-z_][a-z0-9_]*$/,
      'expected a metric name: lower-case letters, digits and "_", such as checkout_p95_ms',
    ),
  );
}

/** A query in the query language (contracts.md §3), e.g. `service:checkout level>=error`. */
export function querySchema() {
  return v.pipe(v.string(), v.metadata({ type: 'query' }));
}

/** True when no two items share `key`; lists of named things use it so names can be referred to. */
export function uniqueBy<T>(items: readonly T[], key: (item: T) => string): boolean {
  return new Set(items.map(key)).size === items.length;
}

import type { DatabaseSync } from 'node:sqlite';
import type { AggregatePartial } from '../../../../core/query/aggregate/index.ts';
import { mergePartials } from '../../../../core/query/aggregate/index.ts';
import { type AggregateScope, canMatch } from '../../../sinks/search/searchPlan.ts';
import { compileSqlite } from './compileSqlite.ts';
import { compileSqliteAggregate } from './compileSqliteAggregate.ts';
import { filterSql } from './partitionQueries.ts';
import { opened, type PartitionSource, scopePartitions } from './partitionSearch.ts';

export type { AggregateScope };

/** Two index seeks: whether every row of the file is the tenant's. */
function isPure(db: DatabaseSync, tenant: string): boolean {
  const row = db
    .prepare(
      'SELECT EXISTS (SELECT 1 FROM events WHERE tenant < ?) OR EXISTS (SELECT 1 FROM events WHERE tenant > ?) AS mixed',
    )
    .get(tenant, tenant);
  return Number(row?.mixed) === 0;
}

/**
 * Aggregates over the scope's partitions: one statement per partition (a tenant's day), partials
 * merged in core, so days and tenants combine exactly as the reference does.
 */
export function aggregatePartitions(files: PartitionSource, scope: AggregateScope): AggregatePartial {
  const result: AggregatePartial = new Map();
  if (!canMatch(scope)) return result;
  const compiled = compileSqliteAggregate(scope.plan);
  const query = {
    query: scope.query === undefined ? undefined : compileSqlite(scope.query),
    textDriven: false,
    fts: null,
  };
  for (const partition of scopePartitions(files.list(), scope)) {
    const target = opened(files, partition, scope, query);
    if (target === null) continue;
    // A file holding one tenant (all but hash collisions) needs no tenant condition, which leaves SQLite
    // the covering (service, level, ts) index: a histogram then reads the index, not every row.
    const pure = isPure(target.db, target.filter.tenant);
    const { where, params } = filterSql({ ...target.filter, pure }, !pure);
    const rows = target.db
      .prepare(compiled.sql.replace('{where}', where))
      .all(...compiled.before, ...params, ...compiled.after);
    mergePartials(scope.plan, result, compiled.read(rows));
  }
  return result;
}

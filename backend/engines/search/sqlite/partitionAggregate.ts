import type { AggregatePartial } from '../../../../core/query/aggregate/index.ts';
import { mergePartials } from '../../../../core/query/aggregate/index.ts';
import { type AggregateScope, canMatch } from '../../../sinks/search/searchPlan.ts';
import { compileSqlite } from './compileSqlite.ts';
import { compileSqliteAggregate } from './compileSqliteAggregate.ts';
import { filterSql } from './partitionQueries.ts';
import { opened, type PartitionSource, scopePartitions } from './partitionSearch.ts';

export type { AggregateScope };

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
    const { where, params } = filterSql(target.filter, true);
    const rows = target.db
      .prepare(compiled.sql.replace('{where}', where))
      .all(...compiled.before, ...params, ...compiled.after);
    mergePartials(scope.plan, result, compiled.read(rows));
  }
  return result;
}

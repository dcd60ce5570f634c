import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { componentsOf } from './components.ts';

describe('stores per role', () => {
  it('a gateway or a processor uses only the bus', () => {
    assert.deepEqual(componentsOf(['gateway']), ['bus']);
    assert.deepEqual(componentsOf(['gateway', 'processor']), ['bus']);
  });

  it('each writer uses the bus and its store; the query API reads every store and tails the bus', () => {
    assert.deepEqual(componentsOf(['archiver']), ['bus', 'archive']);
    assert.deepEqual(componentsOf(['indexer', 'metrics']), ['bus', 'search', 'metrics']);
    assert.deepEqual(componentsOf(['query']), ['bus', 'search', 'metrics', 'archive', 'alerts']);
  });

  it('the singleton roles need the metric store, where their leases live', () => {
    assert.deepEqual(componentsOf(['retention']), ['search', 'metrics', 'archive']);
    assert.deepEqual(componentsOf(['alerts']), ['search', 'metrics', 'alerts']);
  });

  it('a role it does not know is taken to use everything', () => {
    assert.deepEqual(componentsOf(['someday']), ['bus', 'search', 'metrics', 'archive', 'alerts']);
  });
});

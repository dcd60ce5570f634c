import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { openPostgresMetricStore } from '../../../backend/engines/metrics/postgres/postgresMetricStore.ts';
import { silentLogger } from '../../../core/log/logger.ts';
import { UnavailableError } from '../../../core/ports/unavailable.ts';
import { requireEngines } from '../../helpers/engines.ts';

before(() => requireEngines('postgres'));

describe('postgres metric store: server down', () => {
  it('reads fail with UnavailableError (the query API answers 503), not a raw driver error', async () => {
    // A port nothing listens on: what a stopped or restarting server looks like to the driver.
    const store = await openPostgresMetricStore({
      url: 'postgres://sluice@127.0.0.1:1/sluice',
      schema: 'down_test',
      log: silentLogger,
    });
    try {
      const query = { name: 'log_count', labels: {}, range: { from: 0, to: 60_000 }, step: 60_000 };
      await assert.rejects(store.query(query), (error: unknown) => {
        assert.ok(error instanceof UnavailableError, String(error));
        assert.equal(error.code, 'metrics_unavailable');
        return true;
      });
    } finally {
      await store.close();
    }
  });
});

import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { QueryTooComplexError } from '../../../../core/query/index.ts';
import { CursorInvalidError } from '../../../sinks/search/cursor.ts';
import { SearchRequestError } from '../../../sinks/search/searchPlan.ts';
import { event, T0 } from '../contract/contractEvents.ts';
import { reviveError, serializeError } from './readerMessages.ts';
import { SearchReadersClosedError } from './searchReaders.ts';
import { openSqliteSearchStore } from './sqliteSearchStore.ts';

describe('errors from a reader thread', () => {
  it('come back as the class the query API maps to a status', () => {
    const cases: Error[] = [
      new CursorInvalidError('bad cursor'),
      new SearchRequestError('bad limit'),
      new QueryTooComplexError('too long', 7),
    ];
    for (const error of cases) {
      const revived = reviveError(structuredClone(serializeError(error)));
      assert.equal(revived.constructor, error.constructor);
      assert.equal(revived.message, error.message);
      assert.equal((revived as { code?: string }).code, (error as { code?: string }).code);
    }
    assert.equal(
      (reviveError(serializeError(new QueryTooComplexError('x', 7))) as QueryTooComplexError).position,
      7,
    );
  });

  it('keep name, message and code when of another kind', () => {
    const engine = Object.assign(new Error('database disk image is malformed'), { code: 'ERR_SQLITE_ERROR' });
    const revived = reviveError(serializeError(engine)) as Error & { code?: string };
    assert.equal(revived.message, engine.message);
    assert.equal(revived.code, 'ERR_SQLITE_ERROR');
  });
});

describe('SQLite store reader threads', () => {
  it('search and trace off the caller thread, and fail what is asked after close', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sluice-readers-'));
    try {
      const store = openSqliteSearchStore({ path: dir, readers: 1 });
      await store.init();
      await store.index([event('a', 't', T0), event('b', 't', T0 + 1)]);
      const range = { from: T0, to: T0 + 10 };
      const [page, trace] = await Promise.all([
        store.search({ tenant: 't', range, limit: 10, order: 'asc' }),
        store.trace('t', 'none', range, 10),
      ]);
      assert.deepEqual(
        page.hits.map((hit) => hit.id),
        ['a', 'b'],
      );
      assert.deepEqual(trace, []);
      const pending = store.search({ tenant: 't', range, limit: 10, order: 'asc' });
      const refused = assert.rejects(pending, SearchReadersClosedError);
      await store.close();
      await refused;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('throws a bad request on the caller side, before it queues', async () => {
    const store = openSqliteSearchStore({ path: await mkdtemp(join(tmpdir(), 'sluice-readers-')) });
    await assert.rejects(
      store.search({ tenant: 't', range: { from: 0, to: 1 }, limit: -1, order: 'asc' }),
      SearchRequestError,
    );
    await store.close();
  });
});

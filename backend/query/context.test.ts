import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LogEvent } from '../../core/event/types.ts';
import { event, NOW, type QueryHarness, startQueryHarness } from './testing/queryHarness.ts';

interface ContextAnswer {
  event: LogEvent;
  before: LogEvent[];
  after: LogEvent[];
  same: Record<string, string>;
}

describe('query API: context around an event', () => {
  let h: QueryHarness;
  const file = (path: string) => ({ host: 'node-1', attrs: { 'log.file.path': path } });
  const lines: LogEvent[] = [];
  before(async () => {
    h = await startQueryHarness();
    for (let i = 0; i < 30; i++) {
      // Two lines share each millisecond, so neighbours are told apart by id as pages are.
      const ts = NOW - 60_000 + Math.floor(i / 2) * 1000;
      lines.push(event('acme', 'web', ts, `app line ${i}`, file('/var/log/app.log')));
      // Interleaved: the same host's other file, another host's same file, another tenant.
      if (i % 3 === 0) {
        lines.push(event('acme', 'web', ts, `other file ${i}`, file('/var/log/other.log')));
        lines.push(
          event('acme', 'web', ts, `other host ${i}`, { ...file('/var/log/app.log'), host: 'node-2' }),
        );
        lines.push(event('globex', 'web', ts, `other tenant ${i}`, file('/var/log/app.log')));
      }
    }
    await h.search.index(lines);
  });
  after(() => h.close());

  const app = () =>
    lines.filter(
      (e) => e.tenant === 'acme' && e.host === 'node-1' && e.attrs['log.file.path'] === '/var/log/app.log',
    );
  const path = (e: LogEvent, extra = '') => `/api/v1/context/${e.id}?ts=${encodeURIComponent(e.ts)}${extra}`;

  it('answers the events just before and after, oldest first, from the same host and file only', async () => {
    const mine = app();
    const hit = mine[15];
    const answer = await h.json<ContextAnswer>(path(hit, '&before=4&after=3'), 'acme');
    assert.equal(answer.event.id, hit.id);
    assert.deepEqual(
      answer.before.map((e) => e.message),
      mine.slice(11, 15).map((e) => e.message),
    );
    assert.deepEqual(
      answer.after.map((e) => e.message),
      mine.slice(16, 19).map((e) => e.message),
    );
    assert.deepEqual(answer.same, { host: 'node-1', 'log.file.path': '/var/log/app.log' });
  });

  it('stops at the ends and falls back to the service without a file', async () => {
    const mine = app();
    const first = await h.json<ContextAnswer>(path(mine[0]), 'acme');
    assert.equal(first.before.length, 0);
    assert.equal(first.after.length, 10);
    const bare = event('acme', 'api', NOW - 30_000, 'no file', { host: 'node-1' });
    await h.search.index([bare]);
    assert.deepEqual((await h.json<ContextAnswer>(path(bare), 'acme')).same, {
      host: 'node-1',
      service: 'api',
    });
  });

  it("never shows another tenant's events, and refuses bad requests with a clear error", async () => {
    const theirs = lines.find((e) => e.tenant === 'globex');
    assert.ok(theirs);
    assert.equal((await h.get(path(theirs), 'acme')).status, 404);
    const hit = app()[3];
    for (const [extra, code] of [
      ['&before=101', 'bad_before'],
      ['&after=-1', 'bad_after'],
    ]) {
      const response = await h.get(path(hit, extra), 'acme');
      assert.equal(response.status, 400);
      assert.equal(((await response.json()) as { error: { code: string } }).error.code, code);
    }
    const noTs = await h.get(`/api/v1/context/${hit.id}`, 'acme');
    assert.equal(noTs.status, 400);
    assert.equal((await h.get(path(hit), null)).status, 401);
  });
});

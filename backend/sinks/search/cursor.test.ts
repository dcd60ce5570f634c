import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CursorInvalidError, cursorAfter, cursorPosition } from './cursor.ts';

describe('search cursors', () => {
  it("are the last hit's ts and id", () => {
    const event = { id: 'e1', ts: '2026-11-23T12:00:00.5Z' } as never;
    assert.deepEqual(cursorAfter(event), { ts: '2026-11-23T12:00:00.5Z', id: 'e1' });
  });

  it('give each store its sort key: whole ms and the full-precision time', () => {
    assert.deepEqual(cursorPosition({ ts: '2026-11-23T13:00:00.123456+01:00', id: 'x' }), {
      ms: Date.UTC(2026, 10, 23, 12, 0, 0, 123),
      iso: '2026-11-23T12:00:00.123456Z',
      id: 'x',
    });
  });

  it('refuse unreadable positions with a cursor error', () => {
    for (const cursor of [{ ts: 'soon', id: 'x' }, { ts: 5, id: 'x' }, { id: 'x' }, null])
      assert.throws(() => cursorPosition(cursor as never), CursorInvalidError);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from '../../core/http/apiError.ts';
import { limitJsonArrays } from './jsonArrays.ts';

/** The limit at which `text` is refused: the largest element count along `path` (0 when none). */
function largestCount(text: string, path: string[]): number {
  for (let max = 0; max < 100; max++) {
    try {
      limitJsonArrays(text, path, max);
      return max;
    } catch (error) {
      assert.ok(error instanceof ApiError && error.status === 413, String(error));
    }
  }
  throw new Error('over 100');
}

const OTLP = ['resourceLogs', 'scopeLogs', 'logRecords'];

describe('limitJsonArrays', () => {
  it('counts the elements of a root array (an empty path), and nothing for a root object', () => {
    assert.equal(largestCount('[{}, {"a": [1, 2, 3]}, 5, "x", null, [[]]]', []), 6);
    assert.equal(largestCount(' [ ] ', []), 0);
    assert.equal(largestCount('{"message": "one record"}', []), 0);
  });

  it('counts records along a path over every envelope, each level held to the limit on its own', () => {
    const body = JSON.stringify({
      resourceLogs: [
        {
          resource: { attributes: [{ key: 'a' }] },
          scopeLogs: [{ logRecords: [{}, {}] }, { logRecords: [{}] }],
        },
        { scopeLogs: [{ logRecords: [{ body: { arrayValue: { values: [1, 2, 3, 4, 5] } } }] }] },
      ],
    });
    assert.equal(largestCount(body, OTLP), 4); // 4 records; 3 scopes and 2 resources are under it
    const manyScopes = JSON.stringify({
      resourceLogs: [{ scopeLogs: Array.from({ length: 7 }, () => ({})) }],
    });
    assert.equal(largestCount(manyScopes, OTLP), 7);
  });

  it('skips values off the path, whatever they hold', () => {
    const body = `{"junk": [{}, {}, {}, {}], "note": "streams [ ] { } \\" \\\\", "streams": [{"values": [["1", "a"]], "values2": [1, 2, 3]}]}`;
    assert.equal(largestCount(body, ['streams', 'values']), 1);
  });

  it('reads escaped keys as JSON.parse does, and counts duplicate keys all', () => {
    assert.equal(largestCount('{"\\u0073treams": [{}, {}]}', ['streams']), 2);
    assert.equal(largestCount('{"streams": [{}], "streams": [{}, {}]}', ['streams']), 3);
  });

  it('leaves text that is not JSON to JSON.parse, once under the limit', () => {
    for (const text of [
      '',
      '[',
      '[{}, ',
      '{"streams": [{}, {}',
      '{"streams" [',
      '[1 2]',
      '{"a": "unterminated',
    ]) {
      assert.doesNotThrow(() => limitJsonArrays(text, ['streams'], 100));
      assert.doesNotThrow(() => limitJsonArrays(text, [], 100));
    }
    // Truncated after the limit was passed: still refused.
    assert.throws(() => limitJsonArrays('[{}, {}, {}, ', [], 2), /more than 2 records/);
  });

  it('refuses millions of tiny records', () => {
    const text = `{"streams": [{"values": [${'["1", "x"],'.repeat(2_000_000)}["1", "x"]]}]}`;
    assert.throws(() => limitJsonArrays(text, ['streams', 'values'], 10_000), /more than 10000 records/);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scalarOf, setField } from './scalar.ts';

describe('scalarOf', () => {
  it('makes numbers only of decimals that print back as written', () => {
    assert.deepEqual(
      [
        '0',
        '42',
        '-7',
        '3.25',
        '0.045',
        '007',
        '1.50',
        '1e5',
        '-0',
        '0x1F',
        '9007199254740993',
        'NaN',
        '',
        '-',
        '1_000',
      ].map(scalarOf),
      [
        0,
        42,
        -7,
        3.25,
        0.045,
        '007',
        '1.50',
        '1e5',
        '-0',
        '0x1F',
        '9007199254740993',
        'NaN',
        '',
        '-',
        '1_000',
      ],
    );
  });
});

describe('setField', () => {
  it('stores __proto__ as own data instead of changing the prototype', () => {
    const record: Record<string, unknown> = {};
    setField(record, '__proto__', { polluted: true });
    assert.equal(Object.getPrototypeOf(record), Object.prototype);
    assert.deepEqual(Object.keys(record), ['__proto__']);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DAY_MS } from '../../../sinks/search/days.ts';
import { indexName, parseIndexName, searchTargets } from './dailyIndices.ts';

const DAY = Date.UTC(2026, 10, 23) / DAY_MS;

describe('daily indices', () => {
  it('names one index per tenant per UTC day', () => {
    assert.equal(indexName('sluice', 'acme', DAY), 'sluice-acme-2026.11.23');
    assert.deepEqual(parseIndexName('sluice', 'sluice-acme-2026.11.23'), { tenantPart: 'acme', day: DAY });
    assert.equal(parseIndexName('sluice', 'sluice-x-acme-2026.11.23'), null);
    assert.equal(parseIndexName('sluice', 'sluice-acme-2026.02.30'), null);
  });

  it('keeps index names of very long tenants under 255 bytes, still distinct', () => {
    const a = indexName('sluice', 'T'.repeat(500), DAY);
    const b = indexName('sluice', `${'T'.repeat(499)}U`, DAY);
    assert.ok(Buffer.byteLength(a) < 255);
    assert.notEqual(a, b);
    assert.notEqual(parseIndexName('sluice', a), null);
  });

  it('lists the days a range overlaps, and switches to a wildcard for long ranges', () => {
    const from = DAY * DAY_MS;
    assert.equal(
      searchTargets('p', 'acme', { from: from - 1, to: from + DAY_MS }),
      'p-acme-2026.11.22,p-acme-2026.11.23',
    );
    assert.equal(searchTargets('p', null, { from, to: from + 1 }), 'p-*-2026.11.23');
    assert.equal(searchTargets('p', 'acme', { from: 0, to: from }), 'p-acme-*');
    assert.equal(searchTargets('p', 'acme', { from, to: from }), null);
  });
});

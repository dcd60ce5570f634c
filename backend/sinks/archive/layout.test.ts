import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ArchiveKeyError } from './errors.ts';
import {
  archiveKey,
  hourPrefix,
  hoursOverlapping,
  MAX_FILE_NAME_BYTES,
  MAX_RANGES_PER_FILE,
  parseArchiveKey,
  tenantOfFolder,
  tryParseArchiveKey,
} from './layout.ts';
import { decodeTenant, encodeTenant } from './tenantSegment.ts';

const H12 = Date.UTC(2026, 10, 23, 12);
const HOUR = 3_600_000;
const partition = (tenant: string) => ({
  tenant,
  hour: H12,
  busPartition: 3,
  firstOffset: 100n,
  lastOffset: 199n,
});

describe('archive layout', () => {
  it('names a file by tenant, UTC date and hour, bus partition and offset range', () => {
    const key = archiveKey(partition('acme'));
    assert.equal(key, 'tenant=acme/date=2026-11-23/hour=12/p3-100-199.parquet');
    assert.deepEqual(parseArchiveKey(key, 42), {
      key,
      tenant: 'acme',
      hour: H12,
      bytes: 42,
      busPartition: 3,
      firstOffset: 100n,
      lastOffset: 199n,
      ranges: [{ busPartition: 3, firstOffset: 100n, lastOffset: 199n }],
    });
  });

  it('names every partition range of a file that holds the tenant-hour of several partitions', () => {
    const more = [
      { busPartition: 4, sourcePartition: 4, firstOffset: 0n, lastOffset: 7n },
      { busPartition: 5, firstOffset: 9n, lastOffset: 9n },
    ];
    const key = archiveKey({ ...partition('acme'), sourcePartition: 3, more });
    assert.equal(key, 'tenant=acme/date=2026-11-23/hour=12/p3-r3-100-199_p4-r4-0-7_p5-9-9.parquet');
    assert.deepEqual(parseArchiveKey(key, 1).ranges, [
      { busPartition: 3, sourcePartition: 3, firstOffset: 100n, lastOffset: 199n },
      ...more,
    ]);
    for (const bad of [
      'p3-1-2_.parquet',
      'p3-1-2__p4-1-2.parquet',
      'p3-1-2_p4-2-1.parquet',
      'p3-1-2_x.parquet',
    ])
      assert.equal(tryParseArchiveKey(`tenant=acme/date=2026-11-23/hour=12/${bad}`, 1), undefined, bad);
    // Partitions below 100 and offsets below 10^12 (years of a busy partition): a full file's name fits.
    const ranges = Array.from({ length: MAX_RANGES_PER_FILE }, (_, i) => ({
      busPartition: 90 + i,
      sourcePartition: 90 + i,
      firstOffset: 10n ** 12n - 2n,
      lastOffset: 10n ** 12n - 1n,
    }));
    const full = archiveKey({ ...partition('acme'), ...ranges[0], more: ranges.slice(1) });
    assert.ok(full.split('/').at(-1)!.length <= MAX_FILE_NAME_BYTES);
    const huge = ranges.map((r) => ({ ...r, firstOffset: 2n ** 62n, lastOffset: 2n ** 63n }));
    assert.throws(
      () => archiveKey({ ...partition('acme'), ...huge[0], more: huge.slice(1) }),
      ArchiveKeyError,
      'a name longer than a file system allows is refused, never cut',
    );
  });

  it('names a file by its logs.raw source partition and positions when the rows carry them', () => {
    const key = archiveKey({ ...partition('acme'), sourcePartition: 5 });
    assert.equal(key, 'tenant=acme/date=2026-11-23/hour=12/p3-r5-100-199.parquet');
    const file = parseArchiveKey(key, 42);
    assert.equal(file.sourcePartition, 5);
    assert.equal(file.busPartition, 3);
    assert.equal(file.firstOffset, 100n);
    assert.equal(parseArchiveKey(archiveKey(partition('acme')), 1).sourcePartition, undefined);
    assert.throws(() => archiveKey({ ...partition('acme'), sourcePartition: -1 }), ArchiveKeyError);
    assert.equal(
      tryParseArchiveKey('tenant=acme/date=2026-11-23/hour=12/p3-r-100-199.parquet', 1),
      undefined,
    );
  });

  it('keeps hostile tenant names in one folder of their own, and reads them back', () => {
    const hostile = [
      '..',
      '.',
      '../../etc/passwd',
      '/abs',
      'a/b',
      'a\\b',
      '.hidden',
      'trailing.',
      'tenant=x',
      '%2F',
      'a%b',
      'nul\u0000byte',
      'new\nline',
      'café',
      '日本',
      '🚀',
      ' spaced ',
      'Acme',
    ];
    for (const tenant of hostile) {
      const key = archiveKey(partition(tenant));
      const segments = key.split('/');
      assert.equal(segments.length, 4, `${JSON.stringify(tenant)} → ${key}`);
      const folder = segments[0].slice('tenant='.length);
      assert.match(folder, /^[a-z0-9_~%-][a-z0-9_~%.-]*$/i, key);
      assert.ok(!folder.endsWith('.'), key);
      assert.equal(parseArchiveKey(key, 0).tenant, tenant);
    }
  });

  it('gives names differing only in case their own folders (case-insensitive file systems)', () => {
    assert.notEqual(encodeTenant('Acme').toLowerCase(), encodeTenant('acme').toLowerCase());
  });

  it('leaves configured tenant names readable', () => {
    for (const tenant of ['acme', 'team-7', 'eu_west', 'acme.eu']) assert.equal(encodeTenant(tenant), tenant);
  });

  it('refuses tenants that cannot be stored faithfully', () => {
    assert.throws(() => encodeTenant(''), ArchiveKeyError);
    assert.throws(() => encodeTenant('lone\uD800surrogate'), ArchiveKeyError);
    assert.throws(() => encodeTenant('x'.repeat(201)), ArchiveKeyError);
  });

  it('accepts only the canonical spelling of a tenant folder, so no folder aliases another tenant', () => {
    assert.throws(() => decodeTenant('%61cme'), ArchiveKeyError); // 'acme' spelled with an escape
    assert.throws(() => decodeTenant('%2f'), ArchiveKeyError); // lower-case hex
    assert.throws(() => decodeTenant('%E0%A4%A'), ArchiveKeyError); // broken escape
    assert.equal(tenantOfFolder('tenant=%61cme'), undefined);
    assert.equal(tenantOfFolder('other'), undefined);
  });

  it('refuses keys this layout would not write', () => {
    const bad = [
      'tenant=acme/date=2026-02-30/hour=12/p0-0-0.parquet', // no such day
      'tenant=acme/date=2026-11-23/hour=24/p0-0-0.parquet',
      'tenant=acme/date=2026-11-23/hour=12/p0-9-1.parquet', // last before first
      'tenant=acme/date=2026-11-23/hour=12/p01-0-0.parquet', // not canonical
      'tenant=acme/date=2026-11-23/hour=12/p0-0-0.parquet.tmp',
      'tenant=acme/date=2026-11-23/hour=12/extra/p0-0-0.parquet',
      'date=2026-11-23/hour=12/p0-0-0.parquet',
    ];
    for (const key of bad) {
      assert.throws(() => parseArchiveKey(key, 0), ArchiveKeyError, key);
      assert.equal(tryParseArchiveKey(key, 0), undefined);
    }
  });

  it('refuses partitions that would make a wrong key', () => {
    assert.throws(() => archiveKey({ ...partition('acme'), hour: H12 + 1 }), ArchiveKeyError);
    assert.throws(() => archiveKey({ ...partition('acme'), busPartition: -1 }), ArchiveKeyError);
    assert.throws(
      () => archiveKey({ ...partition('acme'), firstOffset: 5n, lastOffset: 4n }),
      ArchiveKeyError,
    );
    assert.throws(() => archiveKey({ ...partition('acme'), hour: Date.UTC(10000, 0, 1) }), ArchiveKeyError);
  });

  it('lists the hour folders a range overlaps, and gives up on ranges longer than the limit', () => {
    assert.deepEqual(hoursOverlapping({ from: H12 + 1, to: H12 + HOUR + 1 }, 48), [H12, H12 + HOUR]);
    assert.deepEqual(hoursOverlapping({ from: H12, to: H12 + HOUR }, 48), [H12]);
    assert.deepEqual(hoursOverlapping({ from: H12, to: H12 }, 48), []);
    assert.equal(hoursOverlapping({ from: H12, to: H12 + 49 * HOUR }, 48), undefined);
    assert.equal(hourPrefix('acme', H12), 'tenant=acme/date=2026-11-23/hour=12/');
  });
});

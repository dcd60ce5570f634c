import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { engineSettings, parseVersionsEnv, versionsEnv } from '../../helpers/engineSettings.ts';
import { isolate } from '../../helpers/engines.ts';

// The helper's own rules; no engine needed.

describe('isolate(label)', () => {
  it('gives names every engine accepts, carrying the label and a random run id', () => {
    const iso = isolate('Kafka Bus: at-least-once / restart!');
    assert.match(iso.id, /^kafka-bus-at-least-once-[0-9a-f]{8}$/);
    assert.match(iso.topicPrefix, /^[a-zA-Z0-9._-]{1,200}$/); // Kafka topic characters, room for a suffix
    assert.match(iso.groupPrefix, /^[a-zA-Z0-9._-]+$/);
    assert.match(iso.indexPrefix, /^[a-z0-9][a-z0-9._-]*$/); // OpenSearch: lowercase, no leading - _ +
    assert.match(iso.pgSchema, /^[a-z_][a-z0-9_]{0,62}$/); // unquoted PostgreSQL identifier
    assert.match(iso.bucket, /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/); // S3 bucket name
  });

  it('never hands out the same names twice', () => {
    const ids = new Set(Array.from({ length: 50 }, () => isolate('same label').id));
    assert.equal(ids.size, 50);
  });

  it('falls back to a usable name when the label has no usable characters', () => {
    assert.match(isolate('### ???').bucket, /^it-test-[0-9a-f]{8}$/);
  });
});

describe('engine settings', () => {
  it('reads versions.env: pinned versions and ports', () => {
    const pinned = versionsEnv();
    assert.match(pinned.KAFKA_VERSION, /^\d+\.\d+\.\d+$/);
    assert.match(pinned.OPENSEARCH_VERSION, /^2\.\d+\.\d+$/);
    assert.match(pinned.KAFKA_PORT, /^\d+$/);
  });

  it('refuses a versions.env line the shell and this parser would read differently', () => {
    assert.deepEqual(parseVersionsEnv('# comment\n\nA=1\nB_2=x.y\n'), { A: '1', B_2: 'x.y' });
    assert.throws(() => parseVersionsEnv('A="quoted value"'), /versions\.env:1: expected KEY=value/);
    assert.throws(() => parseVersionsEnv('A=1\nexport B=2'), /versions\.env:2:/);
  });

  it('defaults to versions.env and lets SLUICE_* variables and exported ports override it', () => {
    const pinned = versionsEnv();
    const defaults = engineSettings({});
    assert.deepEqual(defaults.kafkaBrokers, [`127.0.0.1:${pinned.KAFKA_PORT}`]);
    assert.equal(defaults.opensearchUrl, `http://127.0.0.1:${pinned.OPENSEARCH_PORT}`);
    assert.equal(defaults.s3.secretAccessKey, pinned.S3_SECRET_KEY);

    const custom = engineSettings({
      SLUICE_KAFKA_BROKERS: 'k1:9092, k2:9092',
      OPENSEARCH_PORT: '19200',
      SLUICE_S3_REGION: 'eu-west-1',
    });
    assert.deepEqual(custom.kafkaBrokers, ['k1:9092', 'k2:9092']);
    assert.equal(custom.opensearchUrl, 'http://127.0.0.1:19200');
    assert.equal(custom.s3.region, 'eu-west-1');
  });
});

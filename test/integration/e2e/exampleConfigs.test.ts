/**
 * The example sluice.yaml files operators start from (deploy/examples/) pass the server's own config parsing,
 * and docs/operations.md shows them exactly as shipped.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { sha256Hex } from '../../../core/auth/apiKeys.ts';
import { REPO, spawnNode } from '../../helpers/nodeProcess.ts';

const EXAMPLES = ['deploy/examples/sluice.standalone.yaml', 'deploy/examples/sluice.distributed.yaml'];

/** What a deployment provides: the digests of its keys and the engines' passwords. */
const ENV: Record<string, string> = {
  SLUICE_AGENT_KEY_SHA256: sha256Hex('agents'),
  SLUICE_READ_KEY_SHA256: sha256Hex('engineers'),
  SLUICE_ADMIN_KEY_SHA256: sha256Hex('ops'),
  ACME_AGENT_KEY_SHA256: sha256Hex('acme-agents'),
  ACME_READ_KEY_SHA256: sha256Hex('acme-readers'),
  GLOBEX_AGENT_KEY_SHA256: sha256Hex('globex-agents'),
  GLOBEX_READ_KEY_SHA256: sha256Hex('globex-readers'),
  OPS_KEY_SHA256: sha256Hex('ops'),
  SLUICE_KAFKA_PASSWORD: 'kafka-secret',
  SLUICE_OPENSEARCH_PASSWORD: 'opensearch-secret',
  SLUICE_PG_URL: 'postgres://sluice:pg-secret@postgres:5432/sluice',
  SLUICE_S3_ACCESS_KEY: 'AKIAEXAMPLE',
  SLUICE_S3_SECRET_KEY: 'example-secret',
};

describe('example server configurations', () => {
  for (const file of EXAMPLES) {
    it(`${file} passes --check-config --no-environment (parsing only: its engines are not here)`, async () => {
      const check = spawnNode(
        'check',
        ['backend/main.ts', '--config', file, '--check-config', '--no-environment'],
        ENV,
      );
      assert.equal(await check.exited, 0, check.logTail());
      assert.deepEqual(check.lines(), [`${file}: ok (parsed; engines not checked)`]);
    });

    it(`${file} refuses to start without its keys' digests`, async () => {
      // Undefined unsets the variable in the child (spawn skips it).
      const check = spawnNode('check', ['backend/main.ts', '--config', file, '--check-config'], {
        ...ENV,
        SLUICE_AGENT_KEY_SHA256: undefined,
        ACME_AGENT_KEY_SHA256: undefined,
      });
      assert.equal(await check.exited, 2);
      assert.match(check.logTail(), /environment variable (SLUICE|ACME)_AGENT_KEY_SHA256 is not set/);
    });
  }

  for (const file of [...EXAMPLES, 'deploy/local/sluice.yaml']) {
    it(`docs/operations.md shows ${file} as shipped`, async () => {
      const docs = await readFile(join(REPO, 'docs/operations.md'), 'utf8');
      const shipped = await readFile(join(REPO, file), 'utf8');
      const marker = `<!-- file: ${file} -->\n\`\`\`yaml\n`;
      const start = docs.indexOf(marker);
      assert.ok(start !== -1, `docs/operations.md has no block marked ${marker.trim()}`);
      const body = docs.slice(start + marker.length, docs.indexOf('```\n', start + marker.length));
      assert.equal(body, shipped);
    });
  }
});

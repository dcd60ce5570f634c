/**
 * Registering an adapter runs its contract suite: every descriptor in the registry whose engine is
 * embedded runs here (the unit tests); those that need a server run in test/integration/engines/registry.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as v from 'valibot';
import { runContractOf } from './contracts.ts';
import { ALL_ENGINES, REGISTRY } from './registry.ts';

describe('engine registry', () => {
  it('lists each adapter once, under the port it implements', () => {
    for (const [port, list] of Object.entries(REGISTRY)) {
      for (const descriptor of list)
        assert.equal(descriptor.port, port, `${descriptor.kind} is listed under ${port}`);
      const kinds = list.map((descriptor) => descriptor.kind);
      assert.deepEqual(kinds, [...new Set(kinds)], `${port} kinds are unique`);
    }
  });

  it('gives every adapter a config variant whose kind is its own', () => {
    for (const descriptor of ALL_ENGINES) {
      const kind = descriptor.schema.entries.kind;
      assert.ok(kind !== undefined, `${descriptor.port}/${descriptor.kind} has a kind key`);
      assert.ok(v.is(kind, descriptor.kind), `${descriptor.port}/${descriptor.kind} accepts its own kind`);
      assert.ok(
        !v.is(kind, `not-${descriptor.kind}`),
        `${descriptor.port}/${descriptor.kind} refuses other kinds`,
      );
    }
  });
});

for (const descriptor of ALL_ENGINES)
  if (descriptor.contract.needs === 'embedded') await runContractOf(descriptor);

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as v from 'valibot';
import { durationSchema, sizeSchema } from '../units/schema.ts';
import { describeSchema } from './describeSchema.ts';

describe('describeSchema', () => {
  it('lists nested keys with type, default and description', () => {
    const schema = v.strictObject({
      batch: v.optional(
        v.pipe(
          v.strictObject({
            max_events: v.optional(v.pipe(v.number(), v.integer(), v.description('Events per batch.')), 1000),
            max_wait: v.optional(v.pipe(durationSchema(), v.description('Longest wait.')), '1s'),
            max_bytes: v.optional(sizeSchema(), '1MiB'),
          }),
          v.description('When a batch is sent.'),
        ),
        {},
      ),
      url: v.pipe(v.string(), v.description('Where to send.'), v.metadata({ example: 'https://x' })),
    });
    assert.deepEqual(describeSchema(schema), [
      { path: 'batch', type: 'object', required: false, description: 'When a batch is sent.' },
      {
        path: 'batch.max_events',
        type: 'integer',
        required: false,
        default: 1000,
        description: 'Events per batch.',
      },
      {
        path: 'batch.max_wait',
        type: 'duration',
        required: false,
        default: '1s',
        description: 'Longest wait.',
      },
      { path: 'batch.max_bytes', type: 'size', required: false, default: '1MiB' },
      { path: 'url', type: 'string', required: true, description: 'Where to send.', example: 'https://x' },
    ]);
  });

  it('marks list items with [] and keys of a map with *', () => {
    const schema = v.strictObject({
      rules: v.optional(v.array(v.strictObject({ name: v.string() })), []),
      tags: v.array(v.picklist(['a', 'b'])),
      tenants: v.record(v.string(), v.strictObject({ search: v.optional(durationSchema()) })),
    });
    assert.deepEqual(
      describeSchema(schema).map((key) => `${key.path}: ${key.type}`),
      [
        'rules: list of object',
        'rules[].name: string',
        'tags: list of a | b',
        'tenants: map of object',
        'tenants.*.search: duration',
      ],
    );
  });

  it('lists a variant’s keys once per option, with the discriminator value they belong to', () => {
    const schema = v.strictObject({
      bus: v.optional(
        v.variant('kind', [
          v.strictObject({
            kind: v.optional(v.literal('embedded'), 'embedded'),
            dir: v.optional(v.string(), './data'),
          }),
          v.strictObject({ kind: v.literal('kafka'), brokers: v.array(v.string()) }),
        ]),
        { kind: 'embedded' },
      ),
    });
    assert.deepEqual(describeSchema(schema).slice(1), [
      { path: 'bus.kind', type: 'embedded | kafka', required: false, default: 'embedded' },
      { path: 'bus.dir', type: 'string', required: false, default: './data', when: 'bus.kind: embedded' },
      { path: 'bus.brokers', type: 'list of string', required: true, when: 'bus.kind: kafka' },
    ]);
  });

  it('names unions of scalar types', () => {
    const schema = v.strictObject({ level: v.union([v.string(), v.number()]) });
    assert.equal(describeSchema(schema)[0].type, 'string or number');
  });
});

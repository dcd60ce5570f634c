import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as v from 'valibot';
import { REFERENCE_END, REFERENCE_START, renderReference, replaceReference } from './referenceDoc.ts';

describe('renderReference', () => {
  it('renders aligned rows with default, example and the variant a key belongs to, escaping pipes', () => {
    const schema = v.strictObject({
      mode: v.optional(v.pipe(v.picklist(['a', 'b']), v.description('Mode.')), 'a'),
      name: v.pipe(v.string(), v.description('Name.'), v.metadata({ example: 'x' })),
      store: v.variant('kind', [
        v.strictObject({ kind: v.literal('s3'), bucket: v.optional(v.string(), '') }),
      ]),
    });
    assert.equal(
      renderReference([{ title: 't.yaml', schema }]),
      [
        '### t.yaml',
        '',
        '| Key            | Type   | Default            | Description  |',
        '| -------------- | ------ | ------------------ | ------------ |',
        '| `mode`         | a \\| b | `a`                | Mode.        |',
        '| `name`         | string | required, e.g. `x` | Name.        |',
        '| `store`        | object | required           |              |',
        '| `store.kind`   | s3     | required           |              |',
        '| `store.bucket` | string | `""`               | _(kind: s3)_ |',
      ].join('\n'),
    );
  });

  it('replaces only the text between the markers', () => {
    const document = `# Title\n\n${REFERENCE_START}\nold\n${REFERENCE_END}\nafter\n`;
    assert.equal(
      replaceReference(document, 'new'),
      `# Title\n\n${REFERENCE_START}\n\nnew\n\n${REFERENCE_END}\nafter\n`,
    );
    assert.throws(() => replaceReference('# no markers', 'new'), /no <!-- reference:start/);
  });
});

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { describeSchema } from '../core/config/describeSchema.ts';
import { parseConfig } from '../core/config/parseConfig.ts';
import { renderReference, replaceReference } from '../core/config/referenceDoc.ts';
import { DOCS_PATH, referenceSections } from './docgen.ts';

describe('configuration reference', () => {
  it('docs/configuration.md mentions every key path of sluice.yaml and agent.yaml', async () => {
    const docs = await readFile(DOCS_PATH, 'utf8');
    const missing = referenceSections()
      .flatMap((section) => describeSchema(section.schema))
      .filter((key) => !docs.includes(`\`${key.path}\``))
      .map((key) => key.path);
    assert.deepEqual(missing, [], 'run `node tools/docgen.ts --write` to regenerate the reference');
  });

  it('every key has a description, except the mask section owned by core/mask', async () => {
    const undescribed = referenceSections()
      .flatMap((section) => describeSchema(section.schema))
      .filter((key) => !key.description && !/(^|\.)mask\./.test(key.path))
      .map((key) => key.path);
    assert.deepEqual(undescribed, []);
  });

  it('docs/configuration.md carries the reference generated from the current schemas', async () => {
    const docs = await readFile(DOCS_PATH, 'utf8');
    const expected = replaceReference(docs, renderReference(referenceSections()));
    assert.ok(docs === expected, 'the reference is stale: run `node tools/docgen.ts --write`');
  });
});

describe('configuration examples', () => {
  it('every example in docs/configuration.md is valid', async () => {
    const docs = await readFile(DOCS_PATH, 'utf8');
    const schemas = Object.fromEntries(
      referenceSections().map((section) => [section.title.split(' ')[0], section.schema]),
    );
    const examples = [...docs.matchAll(/<!-- example: (\S+) -->\n```yaml\n([\s\S]*?)```/g)];
    assert.ok(examples.length >= 3, 'expected the examples to be marked with <!-- example: file -->');
    // Every variable the examples reference is set, as it would be in a deployment.
    const env = new Proxy({}, { get: () => 'from-env' });
    for (const [, file, text] of examples) {
      assert.ok(schemas[file], `unknown example file ${file}`);
      assert.doesNotThrow(
        () => parseConfig(text, file, schemas[file], { env }),
        `example for ${file}:\n${text}`,
      );
    }
  });
});

describe('error examples', () => {
  it('docs/configuration.md shows the loader’s actual output for each error example', async () => {
    const docs = await readFile(DOCS_PATH, 'utf8');
    const schemas = Object.fromEntries(
      referenceSections().map((section) => [section.title.split(' ')[0], section.schema]),
    );
    const examples = [
      ...docs.matchAll(/<!-- error-example: (\S+) -->\n```yaml\n([\s\S]*?)```\n\n```text\n([\s\S]*?)\n```/g),
    ];
    assert.ok(examples.length >= 3, 'expected three error examples marked with <!-- error-example: file -->');
    for (const [, file, text, shown] of examples) {
      assert.throws(
        () => parseConfig(text, file, schemas[file], { env: {} }),
        (error: unknown) => {
          assert.equal((error as Error).message, shown);
          return true;
        },
      );
    }
  });
});

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { rolesMarkdown } from './describeRoles.ts';
import { loadRole } from './loadRole.ts';
import { parseRolesFlag } from './rolesFlag.ts';
import { ROLE_NAMES, ROLES } from './table.ts';

const docs = (name: string) => readFile(new URL(`../../docs/${name}`, import.meta.url), 'utf8');

describe('role table', () => {
  it('names each role once, with a file that exports its starter', async () => {
    assert.equal(new Set(ROLE_NAMES).size, ROLES.length);
    for (const role of ROLES) assert.equal(typeof (await loadRole(role.name)), 'function', role.name);
  });

  it('has the singleton roles, and only those, depend on a lease', () => {
    for (const role of ROLES) {
      assert.equal((role.dependsOn as readonly string[]).includes('lease'), role.singleton, role.name);
    }
    assert.deepEqual(
      ROLES.filter((role) => role.singleton).map((role) => role.name),
      ['retention', 'alerts'],
    );
  });

  it('is shown as it is in docs/operations.md and docs/development.md', async () => {
    for (const name of ['operations.md', 'development.md']) {
      assert.ok(
        (await docs(name)).includes(rolesMarkdown()),
        `docs/${name} must show the role table as backend/roles/describeRoles.ts renders it:\n${rolesMarkdown()}`,
      );
    }
  });
});

describe('--roles', () => {
  it('takes role names separated by commas, spaces around them allowed', () => {
    assert.deepEqual(parseRolesFlag('query, retention,alerts'), {
      ok: true,
      roles: ['query', 'retention', 'alerts'],
    });
  });

  it('refuses unknown, repeated or no names, saying which roles exist', () => {
    const unknown = parseRolesFlag('query,searcher');
    assert.equal(unknown.ok, false);
    assert.match(
      !unknown.ok ? unknown.error : '',
      /^unknown role\(s\) searcher; roles are gateway, .*alerts$/,
    );
    assert.deepEqual(parseRolesFlag('indexer,indexer'), { ok: false, error: '--roles lists indexer twice' });
    assert.equal(parseRolesFlag(' , ').ok, false);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeTenant, TENANT_PART } from './tenantNames.ts';

describe('tenant names', () => {
  it('encodes tenants injectively, lower case and without "-", so one tenant pattern never opens another', () => {
    const tenants = [
      'acme',
      'Acme',
      'acme-corp',
      'acme_corp',
      'a b',
      'ACME',
      '_41_cme',
      'é',
      '',
      'a*',
      'a,b',
    ];
    const parts = tenants.map(encodeTenant);
    assert.equal(new Set(parts).size, tenants.length);
    for (const part of parts) assert.match(part, TENANT_PART);
    assert.equal(encodeTenant('Acme'), '_41_cme');
  });
});

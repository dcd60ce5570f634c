import { createHash } from 'node:crypto';

/**
 * Tenants as they appear in index and file names, for both stores' per-tenant, per-day partitions.
 *
 * Names allow only lower case (OpenSearch indices; case-insensitive file systems), and no `-` may
 * appear in the tenant part, or the pattern `<prefix>-acme-*` would also open tenant `acme-corp`'s
 * indices. So [a-z0-9] stay and every other code point becomes `_<hex>_` (`Acme` → `_41_cme`): the
 * encoding is injective and never contains `-`, which is what makes isolation by name pattern sound.
 * Very long tenants keep a readable head and a hash, so names stay under 255 bytes.
 */
const MAX_TENANT_PART = 120;
export const TENANT_PART = /^[a-z0-9_]*$/;

const encoded = new Map<string, string>();

export function encodeTenant(tenant: string): string {
  let part = encoded.get(tenant);
  if (part !== undefined) return part;
  part = '';
  for (const char of tenant) part += /[a-z0-9]/.test(char) ? char : `_${char.codePointAt(0)?.toString(16)}_`;
  if (part.length > MAX_TENANT_PART) {
    const hash = createHash('sha256').update(tenant).digest('hex').slice(0, 32);
    part = `${part.slice(0, MAX_TENANT_PART - 36)}_h${hash}_`;
  }
  if (encoded.size > 10_000) encoded.clear(); // a bound, not a policy: tenants are few
  encoded.set(tenant, part);
  return part;
}

import { sha256Hex } from '../../core/auth/apiKeys.ts';

/** An API key of a test's sluice.yaml: the key itself for the client, its SHA-256 in the file. */
export interface TestKey {
  name: string;
  key: string;
  tenant: string;
  /** Default: ingest only. */
  roles?: readonly string[];
}

/** sluice.yaml's `auth` section for `keys` (an object: JSON is YAML). */
export function authSection(keys: readonly TestKey[]) {
  return {
    keys: keys.map((k) => ({
      name: k.name,
      key_sha256: sha256Hex(k.key),
      tenant: k.tenant,
      roles: [...(k.roles ?? ['ingest'])],
    })),
  };
}

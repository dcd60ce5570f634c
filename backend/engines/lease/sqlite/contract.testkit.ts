import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ContractFixture } from '../../descriptor.ts';

export const fixtures = {
  // A directory that does not exist yet: the store creates it, as it does under a fresh ./data. Each
  // store opened on it is a connection of its own to the one file, as separate processes would have.
  'fresh file': async (): Promise<ContractFixture> => {
    const dir = await mkdtemp(join(tmpdir(), 'sluice-leases-'));
    return {
      config: { kind: 'sqlite', path: join(dir, 'data', 'leases.db') },
      cleanup: () => rm(dir, { recursive: true, force: true }),
    };
  },
};

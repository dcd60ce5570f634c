import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ContractFixture } from '../../descriptor.ts';

export const fixtures = {
  // A directory that does not exist yet: the store creates it, as it does under a fresh ./data.
  'fresh file': async (): Promise<ContractFixture> => {
    const dir = await mkdtemp(join(tmpdir(), 'sluice-alert-store-'));
    return {
      config: { kind: 'sqlite', path: join(dir, 'data', 'alerts.db') },
      cleanup: () => rm(dir, { recursive: true, force: true }),
    };
  },
};

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ContractFixture } from '../../descriptor.ts';

export const fixtures = {
  'fresh file': async (): Promise<ContractFixture> => {
    const dir = await mkdtemp(join(tmpdir(), 'sluice-metrics-'));
    return {
      config: { kind: 'sqlite', path: join(dir, 'metrics.db') },
      cleanup: () => rm(dir, { recursive: true, force: true }),
    };
  },
};

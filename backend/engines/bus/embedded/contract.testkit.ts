import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ContractFixture } from '../../descriptor.ts';

/** A fresh directory per test; the suite runs once per fsync mode that changes the write path. */
function inFreshDir(fsync: 'always' | 'interval') {
  return async (): Promise<ContractFixture> => {
    const dir = await mkdtemp(join(tmpdir(), 'sluice-bus-contract-'));
    return {
      config: { kind: 'embedded', dir, fsync, fsync_interval: '50ms' },
      cleanup: () => rm(dir, { recursive: true, force: true }),
    };
  };
}

export const fixtures = {
  'fsync always': inFreshDir('always'),
  'fsync interval': inFreshDir('interval'),
};

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SearchFixture } from '../../descriptor.ts';

export const fixtures = {
  'fresh directory': async (): Promise<SearchFixture> => {
    const dir = await mkdtemp(join(tmpdir(), 'sluice-search-'));
    return {
      config: { kind: 'sqlite', path: dir },
      cleanup: () => rm(dir, { recursive: true, force: true }),
    };
  },
};

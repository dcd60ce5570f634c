import { openLocalArchive } from '../../../sinks/archive/openArchive.ts';
import type { ArchiveDescriptor } from '../../descriptor.ts';
import { checkLocalArchive, probeLocalArchive } from './check.ts';
import { localArchiveSchema } from './config.ts';

/** `archive.kind: local`: Parquet files in a local directory (standalone). */
export const localArchive: ArchiveDescriptor<typeof localArchiveSchema> = {
  port: 'archive',
  kind: 'local',
  schema: localArchiveSchema,
  open: (config, { tuning }) => openLocalArchive(config.dir, tuning),
  check: checkLocalArchive,
  probe: probeLocalArchive,
  contract: { needs: 'embedded', fixtures: async () => (await import('./contract.testkit.ts')).fixtures },
};
